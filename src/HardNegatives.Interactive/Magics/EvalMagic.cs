using HardNegatives.Retrieval;

namespace HardNegatives.Interactive.Magics;

/// <summary><c>#!hn-eval --run (run variable|TREC file) --dataset scifact [--split test] [--measure ndcg_cut.10,recall.100] [--name evaluation]</c></summary>
public sealed record EvalMagic(string Run, string Dataset, string Split = "test", IReadOnlyList<string>? Measures = null, string Name = "evaluation")
{
    public static EvalMagic From(MagicArguments a) =>
        new(a.Required("run", "a #!hn-search variable or a TREC run file"), a.Required("dataset"), a.String("split") ?? "test", a.List("measure"), a.String("name") ?? "evaluation");

    public async Task RunAsync(IMagicHost host)
    {
        var measures = Measures?.ToArray() ?? [];
        var result = File.Exists(Run)
            ? Hn.Eval(Run, Dataset, Split, measures)
            : Hn.Eval(await host.VariableAsync<IEnumerable<RunEntry>>(Run, "#!hn-eval --run", "run entries"), Dataset, Split, measures);
        await host.ShowAndKeepAsync(Name, result);
    }
}
