using System.Text.Json;
using HardNegatives.Data;
using HardNegatives.Negatives;
using HardNegatives.Reporting;

namespace HardNegatives.Experiments;

/// <summary>Paths of the files a report writes.</summary>
public sealed record ReportFiles(string Directory, string Markdown, string Latex, string Html, string Bars, string? Scaling, string Diagnostics);

/// <summary>
/// Turns a finished (or partly finished) experiment into the paper's Table 1, its figures and the negative diagnostics.
/// Reads only stored artifacts, so it can be rerun at any time and shows whatever has been computed so far.
/// </summary>
public static class ExperimentReport
{
    /// <summary>The table for the spec's first metric, built from the stored evaluations.</summary>
    public static ResultTable BuildTable(ExperimentOutcome outcome, PairedTest? significance = null)
    {
        var plan = outcome.Plan;
        var metric = plan.Spec.Evaluation.MetricsOrDefault[0];
        var runs = new List<EvaluatedRun>();
        foreach (var step in plan.Steps.Where(s => s.Stage == Stages.Evaluate))
        {
            if (!outcome.Artifacts.TryGetValue(step.Id, out var artifact)) continue;
            var perQuery = ReadPerQuery(artifact.File(ArtifactFiles.PerQuery), metric);
            var row = step.Source?.Name ?? (step.BaseModel is not null ? ExperimentPlan.ZeroShotRow(plan.Spec) : ExperimentPlan.Bm25BaselineRow);
            runs.Add(new EvaluatedRun(row, step.Dataset!, step.Seed, perQuery));
        }
        List<string> order = [.. plan.Spec.Bm25Baseline ? [ExperimentPlan.Bm25BaselineRow] : Array.Empty<string>(),
            .. plan.Spec.ZeroShotBaseline == true ? [ExperimentPlan.ZeroShotRow(plan.Spec)] : Array.Empty<string>(),
            .. plan.Spec.Sources.Select(s => s.Name)];
        var reference = plan.Spec.Sources.FirstOrDefault(s => s.Kind == NegativeSourceKind.Bm25)?.Name;
        var notRun = plan.NotRun.Select(n => new NotRunRow(n.Source, n.Reason, n.Enable)).ToList();
        return ResultTableBuilder.Build(DisplayName(metric), runs, reference, significance, notRun, order,
            plan.Spec.Evaluation.Alpha, plan.Spec.Evaluation.AveragingNote);
    }

    /// <summary>Writes table1.{md,tex,html}, bars.html, scaling.html (when LLM sources have sizes) and diagnostics.md.</summary>
    public static async Task<ReportFiles> WriteAsync(ExperimentOutcome outcome, string directory, PairedTest? significance = null,
        Func<IReadOnlyList<(string Query, string Passage)>, Task<IReadOnlyList<float>>>? crossEncoder = null)
    {
        Directory.CreateDirectory(directory);
        var table = BuildTable(outcome, significance);
        var title = $"{outcome.Plan.Spec.Name}: {table.Metric} by negative source";
        string P(string name) => Path.Combine(directory, name);
        var notes = QrelsNotes(outcome);
        AtomicFile.WriteAllText(P("table1.md"), $"# {ReportText.Markdown(title)}\n\n{ResultTableExport.ToMarkdown(table)}" +
            (notes.Count == 0 ? "" : "\nJudgments: " + string.Join(" ", notes.Select(ReportText.Markdown)) + "\n"));
        AtomicFile.WriteAllText(P("table1.tex"), ResultTableExport.ToLatex(table));
        AtomicFile.WriteAllText(P("table1.html"), ResultTableExport.ToHtmlPage(table, title));
        Figures.Save(Figures.GroupedBars(table), P("bars.html"));

        string? scaling = null;
        var points = ScalingPoints(outcome.Plan.Spec, table).ToList();
        if (points.Count > 0) Figures.Save(Figures.GeneratorScaling(points, table.Metric), scaling = P("scaling.html"));

        var diagnostics = new List<NegativeDiagnostics>();
        foreach (var step in outcome.Plan.Steps.Where(s => s.Stage == Stages.Negatives))
            if (outcome.Artifacts.TryGetValue(step.Id, out var a))
                diagnostics.Add(await NegativeDiagnostics.ComputeAsync(step.Source!.Name, TriplesFile.Read(a.File(ArtifactFiles.Triples)), crossEncoder));
        AtomicFile.WriteAllText(P("diagnostics.md"), DiagnosticsMarkdown(diagnostics));
        return new ReportFiles(directory, P("table1.md"), P("table1.tex"), P("table1.html"), P("bars.html"), scaling, P("diagnostics.md"));
    }

    /// <summary>
    /// One sentence per evaluation dataset on the judgments no run can satisfy (<see cref="QrelsCoverage"/>), read from the
    /// evaluation artifacts; none for artifacts made before the counts were recorded.
    /// </summary>
    public static IReadOnlyList<string> QrelsNotes(ExperimentOutcome outcome)
    {
        var evaluation = outcome.Plan.Spec.Evaluation;
        var notes = new List<string>();
        foreach (var dataset in outcome.Plan.Steps.Where(s => s.Stage == Stages.Evaluate).Select(s => s.Dataset!).Distinct(StringComparer.Ordinal))
        {
            var summary = outcome.Plan.Steps.Where(s => s.Stage == Stages.Evaluate && s.Dataset == dataset)
                .Select(s => outcome.Artifacts.GetValueOrDefault(s.Id)?.Summary)
                .FirstOrDefault(x => x is not null && x.ContainsKey(QrelsCoverage.QueriesWithoutTextKey));
            if (summary is null) continue;
            notes.Add(QrelsCoverage.Describe($"{dataset}/{evaluation.Split}", int.Parse(summary[QrelsCoverage.QueriesWithoutTextKey], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(summary[QrelsCoverage.RelevantMissingKey], System.Globalization.CultureInfo.InvariantCulture), evaluation.AverageOver == EvaluationSpec.AllJudged));
        }
        return notes;
    }

    /// <summary>Generator size on x: one series per dataset plus the average, for LLM sources that declare a size.</summary>
    public static IEnumerable<Figures.ScalingPoint> ScalingPoints(ExperimentSpec spec, ResultTable table) =>
        from source in spec.Sources
        where source.Kind == NegativeSourceKind.Llm && source.SizeBillions is not null
        from column in table.Columns
        let cell = table.Cell(source.Name, column)
        where cell is not null
        select new Figures.ScalingPoint(column == ResultTable.AverageColumn ? "Average" : column, source.SizeBillions!.Value, cell.Mean);

    public static string DiagnosticsMarkdown(IEnumerable<NegativeDiagnostics> rows)
    {
        var lines = new List<string>
        {
            "# Negative diagnostics", "",
            "| Source | rows | negatives | overlap with positive | overlap with query | length ratio | CE scores negative ≥ positive |",
            "|---|---:|---:|---:|---:|---:|---:|",
        };
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        lines.AddRange(rows.Select(d =>
            string.Create(inv, $"| {ReportText.Markdown(d.Source)} | {d.Rows} | {d.Negatives} | {d.MeanOverlapWithPositive:F3} | {d.MeanOverlapWithQuery:F3} | {d.MeanLengthRatio:F2} | ") +
            (d.FalseNegativeRate is { } r ? r.ToString("P1", inv) : "no cross-encoder configured") + " |"));
        lines.Add("");
        lines.Add("Overlap: token-set Jaccard of lowercased words. Length ratio: negative words / positive words. " +
                  "The last column estimates false negatives: how often a cross-encoder scores a negative at or above its positive.");
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Per-query values of one measure from an evaluation artifact (<c>measure → query → value</c>).</summary>
    public static IReadOnlyDictionary<string, double> ReadPerQuery(string path, string metric)
    {
        var all = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(File.ReadAllText(path))
            ?? throw new DataFormatException(path, 1, "empty per-query file");
        var key = TrecName(metric);
        return all.TryGetValue(key, out var values) ? values
            : throw new DataFormatException(path, 1, $"no per-query values for {key} (has: {string.Join(", ", all.Keys)})");
    }

    /// <summary>trec_eval's output name of a measure: <c>ndcg_cut.10</c> → <c>ndcg_cut_10</c>.</summary>
    public static string TrecName(string metric) => metric.Replace('.', '_');

    static string DisplayName(string metric) => metric switch
    {
        "ndcg_cut.10" => "nDCG@10",
        "recall.100" => "R@100",
        "recall.1000" => "R@1000",
        _ => metric,
    };
}
