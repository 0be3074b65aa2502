using HardNegatives.Interactive.Facade;
using HardNegatives.Retrieval;

namespace HardNegatives.Interactive.Magics;

/// <summary>
/// <c>#!hn-search bm25 --dataset scifact [--split test] [--limit N] [--top-k 100] [--name run]</c>, or
/// <c>#!hn-search dense --model (model variable|folder) --dataset scifact [--split test] [--top-k 100] [--name run]</c>
/// </summary>
public sealed record SearchMagic(string Source, string Dataset, string? Model = null, string Split = "test", int Limit = 0, int TopK = 100, string Name = "run")
{
    public static SearchMagic From(MagicArguments a) =>
        new(a.String("source") ?? "bm25", a.Required("dataset"), a.String("model"), a.String("split") ?? "test", a.Int("limit") ?? 0, a.Int("top-k") ?? 100, a.String("name") ?? "run");

    public async Task RunAsync(IMagicHost host)
    {
        IReadOnlyList<RunEntry> run;
        switch (Source)
        {
            case "bm25":
                run = await Hn.SearchBm25(Dataset, Split, Limit, TopK, host.CancellationToken);
                break;
            case "dense":
                var model = Model ?? throw new ArgumentException("#!hn-search dense needs --model (a trained model variable or folder)");
                var folder = Directory.Exists(model) ? model
                    : (await host.VariableAsync<TrainedRetriever>(model, "#!hn-search dense --model", "a trained model (#!hn-train)")).ModelFolder;
                run = Hn.SearchDense(folder, Dataset, Split, TopK, host.CancellationToken);
                break;
            default:
                throw new ArgumentException($"#!hn-search {Source}: use bm25 or dense");
        }
        host.DisplayText($"{Source} run: {run.Select(r => r.QueryId).Distinct().Count()} queries, {run.Count} results");
        await host.ShowAndKeepAsync(Name, run.ToList(), display: false);
    }
}
