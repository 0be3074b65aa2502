using System.CommandLine;
using System.Globalization;
using HardNegatives.Evaluation;
using HardNegatives.Retrieval;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// <c>hn eval QRELS RUN -m MEASURE ... [-c] [-q] [--json]</c>: a drop-in for trec_eval 9.0.x on the measures the kit
/// implements; the default output can be diffed against trec_eval's.
/// </summary>
static class EvalCommand
{
    public static Command Create()
    {
        var qrels = new Argument<string>("qrels") { Description = "Judgments: TREC (qid 0 docid grade) or BEIR TSV (query-id, corpus-id, score)." };
        var run = new Argument<string>("run") { Description = "TREC run (qid Q0 docid rank score tag). The rank column is ignored, as in trec_eval." };
        var measures = MeasureOption();
        var complete = new Option<bool>("-c", "--complete") { Description = "Average over all queries in the qrels; queries missing from the run count 0 (trec_eval -c)." };
        var perQuery = new Option<bool>("-q", "--per-query") { Description = "Also print each query's values (trec_eval -q)." };
        var json = new Option<bool>("--json") { Description = "Print JSON with full precision instead of trec_eval's 4 decimals." };
        var level = new Option<int>("-l", "--level") { Description = "Lowest grade that counts as relevant (trec_eval -l).", DefaultValueFactory = _ => 1 };
        var maxDocs = new Option<int?>("-M", "--max-docs") { Description = "Evaluate only the first N documents of each ranking (trec_eval -M)." };
        var ignoreIdentical = new Option<bool>("--ignore-identical-ids") { Description = "Drop results whose document id equals the query id (BEIR's default; off here to match trec_eval)." };
        var beir = new Option<bool>("--beir") { Description = "BEIR conventions: drop identical ids, round the averages to 5 decimals." };
        var st = new Option<bool>("--sentence-transformers") { Description = "Print sentence-transformers' InformationRetrievalEvaluator metrics instead (binary relevance, MAP@k ÷ min(k, R)) at k = 1,3,5,10,100." };

        var command = new Command("eval", "Evaluate a TREC run against qrels with trec_eval 9.0.x semantics (drop-in for trec_eval's output).")
        {
            qrels, run, measures, complete, perQuery, json, level, maxDocs, ignoreIdentical, beir, st,
        };
        command.SetAction(parse =>
        {
            var judgments = Judgments.Load(parse.GetValue(qrels)!);
            var entries = TrecRunFile.Read(parse.GetValue(run)!).ToList();
            if (parse.GetValue(st))
            {
                var stResult = SentenceTransformersIrEvaluator.Evaluate(judgments, entries);
                foreach (var (name, value) in stResult.Mean)
                    Console.Out.Write($"{name,-22}\tall\t{value.ToString("R", CultureInfo.InvariantCulture)}\n");
                return 0;
            }
            var options = (parse.GetValue(beir) ? EvaluationOptions.Beir : EvaluationOptions.TrecEval) with
            {
                AverageOverAllJudgedQueries = parse.GetValue(complete),
                RelevanceLevel = parse.GetValue(level),
                MaxDocumentsPerQuery = parse.GetValue(maxDocs),
            };
            if (parse.GetValue(ignoreIdentical)) options = options with { IgnoreIdenticalIds = true };
            var specs = parse.GetValue(measures) is { Length: > 0 } given ? given : ["official"];
            var result = TrecEvaluator.Evaluate(judgments, entries, MeasureRegistry.Resolve(SplitSpecs(specs)), options);
            Console.Out.Write(parse.GetValue(json) ? TrecEvalFormat.FormatJson(result, parse.GetValue(perQuery)) : TrecEvalFormat.Format(result, parse.GetValue(perQuery)));
            return 0;
        });
        return command;
    }

    /// <summary>The <c>-m</c> option shared by eval and compare; repeatable, and each value may list several measures separated by spaces.</summary>
    internal static Option<string[]> MeasureOption(string? defaultDescription = null) => new("-m", "--measure")
    {
        Description = defaultDescription ?? "Measure in trec_eval form (ndcg_cut.10, ndcg_cut.10,100, map, recall.100, P.10, recip_rank, recip_rank_cut.10) or alias (nDCG@10, MRR@10, MAP@100, R@100). Repeatable. Default: trec_eval's 'official' set (runid, num_q, num_ret, num_rel, num_rel_ret, map, gm_map, Rprec, bpref, recip_rank, iprec_at_recall, P).",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
    };

    internal static IEnumerable<string> SplitSpecs(IEnumerable<string> specs) =>
        specs.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
