using Microsoft.Data.Analysis;

namespace HardNegatives.Evaluation;

/// <summary>One query's values, keyed by value name (<c>ndcg_cut_10</c>).</summary>
/// <param name="MissingFromRun">True when the query was judged but absent from the run (only with complete averaging).</param>
public sealed record QueryEvaluation(string QueryId, bool MissingFromRun, IReadOnlyDictionary<string, double> Values);

/// <summary>One aggregate value: the mean (or, for counts, the sum) over the averaged queries.</summary>
public sealed record MeasureSummary(string Name, string Measure, Aggregation Aggregation, double Value);

/// <summary>Per-query and aggregate results of one run, as records and as DataFrames.</summary>
public sealed class EvaluationResult
{
    public EvaluationResult(IReadOnlyList<TrecMeasure> measures, IReadOnlyList<QueryEvaluation> queries,
        IReadOnlyList<MeasureSummary> summary, int averagedOver, string? runTag)
    {
        Measures = measures;
        Queries = queries;
        Summary = summary;
        AveragedOver = averagedOver;
        RunTag = runTag;
    }

    public IReadOnlyList<TrecMeasure> Measures { get; }

    /// <summary>Evaluated queries in trec_eval order (ordinal query id); with complete averaging, missing ones too.</summary>
    public IReadOnlyList<QueryEvaluation> Queries { get; }

    public IReadOnlyList<MeasureSummary> Summary { get; }

    /// <summary>The denominator of the means.</summary>
    public int AveragedOver { get; }

    /// <summary>The run's tag (last column) of its last line, as trec_eval's <c>runid</c> reports it; null for an empty run.</summary>
    public string? RunTag { get; }

    /// <summary>Value names in output order.</summary>
    public IReadOnlyList<string> ValueNames => [.. Summary.Select(s => s.Name)];

    /// <summary>The aggregate value named <paramref name="valueName"/> (<c>ndcg_cut_10</c>).</summary>
    public double this[string valueName] =>
        Summary.FirstOrDefault(s => s.Name == valueName)?.Value
        ?? throw new ArgumentException($"no measure value '{valueName}' was computed; computed: {string.Join(", ", ValueNames)}");

    /// <summary>Per-query values of one measure value, keyed by query id.</summary>
    public IReadOnlyDictionary<string, double> PerQuery(string valueName)
    {
        _ = this[valueName];
        return Queries.ToDictionary(q => q.QueryId, q => q.Values[valueName], StringComparer.Ordinal);
    }

    /// <summary>One row per query: <c>query_id</c>, <c>missing_from_run</c>, then one double column per value.</summary>
    public DataFrame ToPerQueryDataFrame()
    {
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("query_id", Queries.Select(q => q.QueryId)),
            new BooleanDataFrameColumn("missing_from_run", Queries.Select(q => q.MissingFromRun)),
        };
        foreach (var name in ValueNames) columns.Add(new DoubleDataFrameColumn(name, Queries.Select(q => q.Values[name])));
        return new DataFrame(columns);
    }

    /// <summary>One row per value: <c>measure</c>, <c>value</c>, <c>aggregation</c>, <c>queries</c>.</summary>
    public DataFrame ToSummaryDataFrame() => new(
        new StringDataFrameColumn("measure", Summary.Select(s => s.Name)),
        new DoubleDataFrameColumn("value", Summary.Select(s => s.Value)),
        new StringDataFrameColumn("aggregation", Summary.Select(s => s.Aggregation.ToString().ToLowerInvariant())),
        new Int32DataFrameColumn("queries", Summary.Select(_ => AveragedOver)));
}
