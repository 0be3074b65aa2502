using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HardNegatives.Evaluation;
using HardNegatives.Evaluation.Significance;
using HardNegatives.Retrieval;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn compare QRELS RUN_A RUN_B ... -m ndcg_cut.10</c>: per-measure table of each run against the first (the
/// baseline) with deltas, bootstrap CIs, paired t-test and randomization p-values, and Holm–Bonferroni over the family.
/// </summary>
static class CompareCommand
{
    public static Command Create()
    {
        var qrels = new Argument<string>("qrels") { Description = "Judgments: TREC or BEIR TSV." };
        var runs = new Argument<string[]>("runs") { Description = "Two or more TREC runs; the first is the baseline.", Arity = new ArgumentArity(2, 100) };
        var measures = EvalCommand.MeasureOption("Measure(s) to compare, as in hn eval (default ndcg_cut.10).");
        var complete = new Option<bool>("-c", "--complete") { Description = "Pair over all judged queries; queries missing from a run score 0 (trec_eval -c)." };
        var ignoreIdentical = new Option<bool>("--ignore-identical-ids") { Description = "Drop results whose document id equals the query id (BEIR)." };
        var alpha = new Option<double>("--alpha") { Description = "Family-wise significance level.", DefaultValueFactory = _ => 0.05 };
        var permutations = new Option<int>("--permutations") { Description = "Monte Carlo sign flips of the randomization test (exact enumeration up to 20 queries).", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the randomization test and bootstrap.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print the rows as JSON." };
        var command = new Command("compare", "Compare runs with a baseline: deltas, 95% bootstrap CIs, paired t-test and randomization test, Holm–Bonferroni.")
        {
            qrels, runs, measures, complete, ignoreIdentical, alpha, permutations, seed, json,
        };
        command.SetAction(parse =>
        {
            var judgments = Judgments.Load(parse.GetValue(qrels)!);
            var paths = parse.GetValue(runs)!;
            var resolved = MeasureRegistry.Resolve(EvalCommand.SplitSpecs(parse.GetValue(measures) is { Length: > 0 } m ? m : ["ndcg_cut.10"]));
            var options = EvaluationOptions.TrecEval with
            {
                AverageOverAllJudgedQueries = parse.GetValue(complete),
                IgnoreIdenticalIds = parse.GetValue(ignoreIdentical),
            };
            var names = SystemNames(paths);
            var systems = paths.Select((p, i) => (names[i], TrecEvaluator.Evaluate(judgments, TrecRunFile.Read(p), resolved, options))).ToList();
            var valueNames = resolved.Where(x => x.Aggregation == Aggregation.Mean).SelectMany(x => x.ValueNames).ToArray();
            var rows = SystemComparison.Compare(systems, valueNames, new ComparisonOptions
            {
                Alpha = parse.GetValue(alpha), Permutations = parse.GetValue(permutations), Seed = parse.GetValue(seed),
            });
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            var table = new Table().AddColumns("measure", "run", "queries", Markup.Escape("mean [95% CI]"), "Δ vs baseline", "p (t)", "p (rand)", "p (t, Holm)", "p (rand, Holm)", "significant");
            foreach (var r in rows)
            {
                bool baseline = r.System == names[0];
                table.AddRow(Markup.Escape(r.Measure), Markup.Escape(r.System), $"{r.Queries}",
                    Markup.Escape($"{F(r.Mean)} [{F(r.Ci.Lower)}, {F(r.Ci.Upper)}]"),
                    baseline ? "baseline" : (r.Delta >= 0 ? "+" : "") + F(r.Delta),
                    baseline ? "" : P(r.TTestP), baseline ? "" : P(r.RandomizationP),
                    baseline ? "" : P(r.TTestHolm), baseline ? "" : P(r.RandomizationHolm),
                    baseline ? "" : r.SignificantT && r.SignificantRandomization ? "yes (both)" : r.SignificantT ? "t only" : r.SignificantRandomization ? "rand only" : "no");
            }
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200); // files and pipes get whole rows
            AnsiConsole.Write(table);
            Console.Out.WriteLine($"Holm–Bonferroni over {rows.Count(r => r.System != names[0])} comparisons at α = {parse.GetValue(alpha).ToString(CultureInfo.InvariantCulture)}; queries paired: those evaluated in every run{(parse.GetValue(complete) ? " (all judged queries, -c)" : "")}.");
            return 0;
        });
        return command;
    }

    static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
    static string P(double p) => p < 0.0001 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>Run names: file names without extension, or full paths where two files share a name.</summary>
    static string[] SystemNames(string[] paths)
    {
        var shortNames = paths.Select(p => Path.GetFileNameWithoutExtension(p)).ToArray();
        return shortNames.Distinct().Count() == shortNames.Length ? shortNames : paths;
    }
}
