namespace HardNegatives.Interactive.Magics;

/// <summary>The kit's magics, one per step; every kernel that offers them registers exactly these.</summary>
public static class HnMagicCatalog
{
    public static IReadOnlyList<HnMagic> All { get; } =
    [
        new("#!hn-mine", "Mine hard negatives into triples: #!hn-mine bm25 --dataset scifact --num-negatives 1, or #!hn-mine cross-encoder --dataset scifact --model M",
            "source", ["dataset", "num-negatives", "limit", "split", "name", "model"], (a, host) => MineMagic.From(a).RunAsync(host)),
        new("#!hn-generate", "LLM-written negatives into triples: #!hn-generate --dataset scifact --model qwen3:4b --endpoint http://localhost:11434 --backend ollama",
            null, ["dataset", "model", "endpoint", "backend", "num-negatives", "limit", "split", "concurrency", "name"], (a, host) => GenerateMagic.From(a).RunAsync(host)),
        new("#!hn-search", "Retrieve into a TREC run: #!hn-search bm25 --dataset scifact --limit 50, or #!hn-search dense --model model --dataset scifact",
            "source", ["model", "dataset", "split", "limit", "top-k", "name"], (a, host) => SearchMagic.From(a).RunAsync(host)),
        new("#!hn-train", "Train a bi-encoder on mined or generated negatives: #!hn-train --triples negatives --max-steps 30",
            null, ["triples", "base", "max-steps", "name"], (a, host) => TrainMagic.From(a).RunAsync(host)),
        new("#!hn-eval", "Evaluate a run (a variable or a TREC file) with trec_eval semantics: #!hn-eval --run run --dataset scifact",
            null, ["run", "dataset", "split", "measure", "name"], (a, host) => EvalMagic.From(a).RunAsync(host)),
        new("#!hn-reproduce", "Run an experiment end to end (resumably) and show its Table 1: #!hn-reproduce experiments/quickstart",
            "spec", ["store", "name"], (a, host) => ReproduceMagic.From(a).RunAsync(host)),
    ];

    /// <summary>The magic called <paramref name="name"/>; an error listing the magics when there is none.</summary>
    public static HnMagic Find(string name) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"{name}: no such magic; the kit's magics are {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>Parses and runs one magic line (<c>#!hn-eval --run run --dataset scifact</c>) in <paramref name="host"/>.</summary>
    public static Task RunLineAsync(string line, IMagicHost host)
    {
        var (magic, arguments) = MagicLine.Parse(line);
        return magic.RunAsync(arguments, host);
    }
}
