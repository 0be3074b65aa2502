using System.Text;

namespace HardNegatives.Interactive.Magics;

/// <summary>
/// Parses a magic line as .NET Interactive binds a directive: <c>#!hn-search dense --model model --dataset scifact</c>
/// gives the magic's implicit first argument (here <c>--source dense</c>) and <c>--kebab-case value</c> options;
/// values may be double-quoted.
/// </summary>
public static class MagicLine
{
    /// <summary>Whether <paramref name="line"/> is a kit magic (<c>#!hn-…</c>).</summary>
    public static bool IsMagic(string line) => line.TrimStart().StartsWith("#!hn-", StringComparison.Ordinal);

    public static (HnMagic Magic, MagicArguments Arguments) Parse(string line)
    {
        var tokens = Tokens(line.Trim());
        var name = tokens[0];
        var magic = HnMagicCatalog.Find(name);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                if (magic.Implicit is { } implicitOption && !values.ContainsKey(implicitOption)) { values[implicitOption] = token; continue; }
                throw new ArgumentException($"{name}: unexpected '{token}'; options are {Options(magic)}");
            }
            var option = token[2..];
            if (option != magic.Implicit && !magic.Options.Contains(option))
                throw new ArgumentException($"{name}: unknown option --{option}; options are {Options(magic)}");
            if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"{name} --{option}: a value is missing");
            values[option] = tokens[++i];
        }
        return (magic, new MagicArguments(name, values));
    }

    static string Options(HnMagic magic) =>
        string.Join(", ", (magic.Implicit is { } i ? [i] : Array.Empty<string>()).Concat(magic.Options).Select(o => "--" + o));

    static List<string> Tokens(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, any = false;
        foreach (var c in line)
        {
            if (c == '"') { quoted = !quoted; any = true; continue; }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) tokens.Add(current.ToString());
                current.Clear();
                any = false;
                continue;
            }
            current.Append(c);
            any = true;
        }
        if (quoted) throw new ArgumentException($"{line}: a quote is not closed");
        if (any) tokens.Add(current.ToString());
        return tokens;
    }
}
