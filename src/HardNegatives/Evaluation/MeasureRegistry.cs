using System.Globalization;
using System.Text.RegularExpressions;

namespace HardNegatives.Evaluation;

/// <summary>
/// Names → measures. Accepts trec_eval's <c>-m</c> forms (<c>ndcg_cut.10</c>, <c>ndcg_cut.10,100</c>, <c>P</c> for
/// the default cutoffs, <c>map</c>, <c>recip_rank</c>), trec_eval's output names (<c>ndcg_cut_10</c>), and the
/// aliases papers use (<c>nDCG@10</c>, <c>MRR@10</c>, <c>MAP@100</c>, <c>R@100</c>/<c>Recall@100</c>, <c>P@10</c>,
/// <c>AP</c>, <c>RR</c>). <c>official</c> expands to trec_eval's official (default) set.
/// </summary>
public static partial class MeasureRegistry
{
    // trec_eval prints measures in the order of its measure table (measures.c), not in -m order.
    static readonly string[] TableOrder =
        ["runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref", "recip_rank", "iprec_at_recall", "P",
         "recall", "ndcg", "ndcg_cut", "map_cut", "recip_rank_cut"];

    /// <summary>trec_eval's default measure set (<c>official</c>, measures.c <c>off_names</c>), printed when no -m is given.</summary>
    public static readonly IReadOnlyList<string> Official =
        ["runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref", "recip_rank", "iprec_at_recall", "P"];

    static readonly Dictionary<string, string> AtAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ndcg"] = "ndcg_cut", ["map"] = "map_cut", ["ap"] = "map_cut", ["mrr"] = "recip_rank_cut", ["rr"] = "recip_rank_cut",
        ["p"] = "P", ["precision"] = "P", ["r"] = "recall", ["recall"] = "recall",
    };

    static readonly Dictionary<string, string> PlainAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ap"] = "map", ["map"] = "map", ["mrr"] = "recip_rank", ["rr"] = "recip_rank", ["ndcg"] = "ndcg", ["p"] = "P", ["recall"] = "recall",
    };

    /// <summary>The root names that can be computed, in output order.</summary>
    public static IReadOnlyList<string> Names => TableOrder;

    /// <summary>Parses one measure specification; throws <see cref="ArgumentException"/> naming what is known.</summary>
    public static IReadOnlyList<TrecMeasure> Parse(string spec)
    {
        spec = spec.Trim();
        if (spec == "official")
            return [.. Official.Select(n => Create(n, null))];
        if (AtForm().Match(spec) is { Success: true } at)
        {
            if (!AtAliases.TryGetValue(at.Groups[1].Value, out var root)) throw Unknown(spec);
            return [Create(root, ParseCutoffs(spec, at.Groups[2].Value))];
        }
        if (UnderscoreForm().Match(spec) is { Success: true } us && IsCutoffMeasure(us.Groups[1].Value))
            return [Create(us.Groups[1].Value, [int.Parse(us.Groups[2].Value, CultureInfo.InvariantCulture)])];
        int dot = spec.IndexOf('.');
        var name = dot < 0 ? spec : spec[..dot];
        if (PlainAliases.TryGetValue(name, out var aliased) && !TableOrder.Contains(name)) name = aliased;
        if (!TableOrder.Contains(name)) throw Unknown(spec);
        if (dot < 0) return [Create(name, null)];
        if (!IsCutoffMeasure(name)) throw new ArgumentException($"measure '{name}' takes no parameters (got '{spec}')");
        return [Create(name, ParseCutoffs(spec, spec[(dot + 1)..]))];
    }

    /// <summary>
    /// Parses several specifications into the measures to compute, in trec_eval's output order. Repeated cut measures
    /// are merged (<c>-m P.5 -m P.10</c> → <c>P.5,10</c>).
    /// </summary>
    public static IReadOnlyList<TrecMeasure> Resolve(IEnumerable<string> specs)
    {
        var byName = new Dictionary<string, TrecMeasure>(StringComparer.Ordinal);
        foreach (var m in specs.SelectMany(Parse))
        {
            if (byName.TryGetValue(m.Name, out var existing) && existing is CutoffMeasure a && m is CutoffMeasure b)
                byName[m.Name] = a.WithCutoffs(a.Cutoffs.Concat(b.Cutoffs));
            else byName.TryAdd(m.Name, m);
        }
        if (byName.Count == 0) throw new ArgumentException("no measures given; try ndcg_cut.10, map, recall.100 or official");
        return [.. TableOrder.Where(byName.ContainsKey).Select(n => byName[n])];
    }

    static bool IsCutoffMeasure(string name) => name is "P" or "recall" or "ndcg_cut" or "map_cut" or "recip_rank_cut";

    static TrecMeasure Create(string name, IReadOnlyList<int>? cutoffs) => name switch
    {
        "runid" => new RunId(),
        "num_q" => new NumQ(),
        "num_ret" => new NumRet(),
        "num_rel" => new NumRel(),
        "num_rel_ret" => new NumRelRet(),
        "map" => new AveragePrecision(),
        "gm_map" => new GeometricMeanAveragePrecision(),
        "Rprec" => new RPrecision(),
        "bpref" => new Bpref(),
        "iprec_at_recall" => new InterpolatedPrecisionAtRecall(),
        "recip_rank" => new ReciprocalRank(),
        "ndcg" => new Ndcg(),
        "P" => new Precision(cutoffs),
        "recall" => new Recall(cutoffs),
        "ndcg_cut" => new NdcgCut(cutoffs),
        "map_cut" => new MapCut(cutoffs),
        "recip_rank_cut" => new ReciprocalRankCut(cutoffs),
        _ => throw new ArgumentException($"unknown measure '{name}'"),
    };

    static int[] ParseCutoffs(string spec, string list)
    {
        var parts = list.Split(',', StringSplitOptions.TrimEntries);
        var cutoffs = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out cutoffs[i]) || cutoffs[i] <= 0)
                throw new ArgumentException($"measure '{spec}': cutoff '{parts[i]}' is not a positive integer");
        return cutoffs;
    }

    static ArgumentException Unknown(string spec) =>
        new($"unknown measure '{spec}'; known: {string.Join(", ", TableOrder)}, official, and aliases such as nDCG@10, MRR@10, MAP@100, R@100, P@10");

    [GeneratedRegex(@"^([A-Za-z]+)@([0-9,]+)$")]
    private static partial Regex AtForm();

    [GeneratedRegex(@"^([A-Za-z_]+?)_([0-9]+)$")]
    private static partial Regex UnderscoreForm();
}
