using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace HardNegatives.Evaluation;

/// <summary>
/// Writes results the way trec_eval prints them, so the two outputs can be diffed: one line per value,
/// <c>printf("%-22s\t%s\t%6.4f\n", name, qid, value)</c> (meas_print_single.c / meas_print_final.c), counts as
/// <c>%ld</c>. With per-query output, each evaluated query's lines come first (query-id order), then the <c>all</c>
/// lines. As in trec_eval, <c>num_q</c>, <c>runid</c> and <c>gm_map</c> have no per-query line, <c>runid</c> prints the run's tag, and queries missing from the run (-c) are counted in
/// <c>all</c> but get no per-query lines.
/// </summary>
public static class TrecEvalFormat
{
    /// <summary>The text trec_eval would print for these measures.</summary>
    public static string Format(EvaluationResult result, bool perQuery)
    {
        var sb = new StringBuilder();
        var silent = result.Measures.Where(m => !m.PerQueryLines).Select(m => m.Name).Append("num_q").ToHashSet(StringComparer.Ordinal);
        if (perQuery)
            foreach (var q in result.Queries.Where(q => !q.MissingFromRun))
                foreach (var s in result.Summary)
                {
                    if (silent.Contains(s.Measure)) continue;
                    AppendLine(sb, s.Name, q.QueryId, q.Values[s.Name], s.Aggregation, result.RunTag);
                }
        foreach (var s in result.Summary) AppendLine(sb, s.Name, "all", s.Value, s.Aggregation, result.RunTag);
        return sb.ToString();
    }

    /// <summary>
    /// Full-precision JSON: <c>{"queries_averaged": n, "all": {name: value}, "queries": {qid: {name: value}}}</c>
    /// (per-query object only when <paramref name="perQuery"/>).
    /// </summary>
    public static string FormatJson(EvaluationResult result, bool perQuery)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("queries_averaged", result.AveragedOver);
            w.WriteStartObject("all");
            foreach (var s in result.Summary)
                if (s.Aggregation == Aggregation.Label) w.WriteString(s.Name, result.RunTag);
                else w.WriteNumber(s.Name, s.Value);
            w.WriteEndObject();
            if (perQuery)
            {
                w.WriteStartObject("queries");
                foreach (var q in result.Queries)
                {
                    w.WriteStartObject(q.QueryId);
                    foreach (var s in result.Summary.Where(s => s.Aggregation != Aggregation.Label)) w.WriteNumber(s.Name, q.Values[s.Name]);
                    if (q.MissingFromRun) w.WriteBoolean("missing_from_run", true);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    static void AppendLine(StringBuilder sb, string name, string qid, double value, Aggregation aggregation, string? runTag)
    {
        sb.Append(name.PadRight(22)).Append('\t').Append(qid).Append('\t');
        sb.Append(aggregation switch
        {
            Aggregation.Sum => ((long)value).ToString(CultureInfo.InvariantCulture),
            Aggregation.Label => runTag ?? "",
            _ => FixedC(value, 4),
        });
        sb.Append('\n');
    }

    /// <summary>
    /// C's <c>%.{digits}f</c>: the exact binary value rounded half-to-even (glibc), which differs from .NET's
    /// midpoint-away rounding on exact ties such as 0.03125 (1/32) → "0.0312".
    /// </summary>
    public static string FixedC(double value, int digits)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        // Exact value = mantissa · 2^exponent; scale by 10^digits as a rational and round half-even.
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exp = (int)((bits >> 52) & 0x7FF);
        long frac = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = exp == 0 ? frac : frac | (1L << 52);
        int e2 = (exp == 0 ? 1 : exp) - 1075;
        BigInteger numerator = mantissa * BigInteger.Pow(10, digits), denominator = BigInteger.One;
        if (e2 >= 0) numerator <<= e2; else denominator <<= -e2;
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven)) quotient += 1;
        var s = quotient.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        var text = digits == 0 ? s : $"{s[..^digits]}.{s[^digits..]}";
        return negative ? "-" + text : text; // C prints the sign even when the value rounds to zero
    }
}
