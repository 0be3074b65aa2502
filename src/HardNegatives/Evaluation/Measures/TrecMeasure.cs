namespace HardNegatives.Evaluation;

/// <summary>How a measure's per-query values become the <c>all</c> line.</summary>
public enum Aggregation
{
    /// <summary>Arithmetic mean over the evaluated queries (or over all judged queries with complete averaging).</summary>
    Mean,
    /// <summary>Sum over queries, printed as an integer (trec_eval's counts: num_q, num_ret, num_rel, num_rel_ret).</summary>
    Sum,
    /// <summary>exp(mean of log value) over the averaged queries (trec_eval's <c>gm_map</c>).</summary>
    GeometricMean,
    /// <summary>Not a number: a label printed as text on the <c>all</c> line (trec_eval's <c>runid</c>).</summary>
    Label,
}

/// <summary>
/// A measure in trec_eval's model: a root name (<c>ndcg_cut</c>), optional cutoff parameters, and one value per
/// parameter named <c>root_param</c> (<c>ndcg_cut_10</c>). One measure per file, each citing the trec_eval source it
/// follows; <see cref="MeasureRegistry"/> parses names and aliases.
/// </summary>
public abstract class TrecMeasure
{
    /// <summary>trec_eval's root name, e.g. <c>ndcg_cut</c>, <c>map</c>, <c>P</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what the measure is.</summary>
    public abstract string Description { get; }

    public virtual Aggregation Aggregation => Aggregation.Mean;

    /// <summary>Whether trec_eval prints this measure's per-query lines with <c>-q</c> (not for <c>runid</c>, <c>gm_map</c>).</summary>
    public virtual bool PerQueryLines => true;

    /// <summary>Names of the values this measure produces, in output order (<c>P_5</c>, <c>P_10</c>, …).</summary>
    public virtual IReadOnlyList<string> ValueNames => [Name];

    /// <summary>Writes this query's values (one per <see cref="ValueNames"/> entry) into <paramref name="values"/>.</summary>
    public abstract void Compute(JudgedRanking ranking, Span<double> values);

    /// <summary>The measure as trec_eval's <c>-m</c> argument would name it (<c>ndcg_cut.10,100</c>).</summary>
    public virtual string Specification => Name;

    public override string ToString() => Specification;
}

/// <summary>
/// A measure evaluated at rank cutoffs (trec_eval's <c>a_cut</c> measures). Cutoffs are positive, sorted ascending and
/// without duplicates, as trec_eval's <c>get_long_cutoffs</c> requires; trec_eval's default list is
/// 5,10,15,20,30,100,200,500,1000.
/// </summary>
public abstract class CutoffMeasure : TrecMeasure
{
    /// <summary>trec_eval's default cutoffs for P, recall, ndcg_cut and map_cut.</summary>
    public static readonly IReadOnlyList<int> DefaultCutoffs = [5, 10, 15, 20, 30, 100, 200, 500, 1000];

    protected CutoffMeasure(IEnumerable<int>? cutoffs)
    {
        var list = (cutoffs ?? DefaultCutoffs).Distinct().Order().ToArray();
        if (list.Length == 0) throw new ArgumentException($"measure '{Name}' needs at least one cutoff");
        if (list[0] <= 0) throw new ArgumentException($"measure '{Name}': cutoffs must be positive, got {list[0]}");
        Cutoffs = list;
    }

    public IReadOnlyList<int> Cutoffs { get; }

    public override IReadOnlyList<string> ValueNames => [.. Cutoffs.Select(k => $"{Name}_{k}")];

    public override string Specification => $"{Name}.{string.Join(',', Cutoffs)}";

    /// <summary>The same measure with other cutoffs (used to merge repeated <c>-m</c> options).</summary>
    public abstract CutoffMeasure WithCutoffs(IEnumerable<int> cutoffs);
}
