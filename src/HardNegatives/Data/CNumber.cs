using System.Globalization;
using System.Text.RegularExpressions;

namespace HardNegatives.Data;

/// <summary>Numbers read the way C's <c>atof</c>/<c>strtod</c> read them, for formats defined by C tools (trec_eval's runs).</summary>
public static partial class CNumber
{
    /// <summary>
    /// The value of the longest prefix of <paramref name="text"/> that <c>strtod</c> accepts (leading whitespace skipped):
    /// a decimal number with optional sign, fraction and exponent, or <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case;
    /// null when there is no such prefix (where <c>atof</c> returns 0). Decimal parsing is correctly rounded, as glibc's.
    /// Hexadecimal floats (<c>0x1p3</c>) are read as their leading <c>0</c>, unlike glibc.
    /// </summary>
    public static double? Atof(string text)
    {
        var m = Prefix().Match(text);
        if (!m.Success) return null;
        var sign = m.Groups["sign"].Value == "-" ? -1.0 : 1.0;
        if (m.Groups["inf"].Success) return sign * double.PositiveInfinity;
        if (m.Groups["nan"].Success) return double.NaN;
        return double.Parse(m.Groups["num"].Value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture) * sign;
    }

    [GeneratedRegex(@"^\s*(?<sign>[+-]?)(?:(?<inf>(?i:infinity|inf))|(?<nan>(?i:nan))|(?<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?))", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();
}
