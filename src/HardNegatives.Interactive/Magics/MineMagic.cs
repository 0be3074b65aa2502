namespace HardNegatives.Interactive.Magics;

/// <summary>
/// <c>#!hn-mine bm25 --dataset scifact [--num-negatives 3] [--limit N] [--split train] [--name negatives]</c>, or
/// <c>#!hn-mine cross-encoder --dataset scifact [--model cross-encoder/ms-marco-MiniLM-L-6-v2] …</c> (BM25 candidates rescored).
/// </summary>
/// <param name="Source"><c>bm25</c> or <c>cross-encoder</c> (<c>ce</c>).</param>
/// <param name="Limit">Mine only the first N training queries (0 = all).</param>
/// <param name="Name">The variable that receives the <see cref="Facade.MinedNegatives"/>.</param>
/// <param name="Model">The cross-encoder (a folder or Hub id); the facade's default when left out.</param>
public sealed record MineMagic(string Source, string Dataset, int NumNegatives = 3, int Limit = 0, string Split = "train", string Name = "negatives",
    string? Model = null)
{
    public static MineMagic From(MagicArguments a) =>
        new(a.String("source") ?? "bm25", a.Required("dataset"), a.Int("num-negatives") ?? 3, a.Int("limit") ?? 0, a.String("split") ?? "train",
            a.String("name") ?? "negatives", a.String("model"));

    public async Task RunAsync(IMagicHost host)
    {
        var mined = Source switch
        {
            "bm25" when Model is null => await Hn.MineBm25(Dataset, NumNegatives, Limit, Split, cancellationToken: host.CancellationToken),
            "bm25" => throw new ArgumentException($"#!hn-mine bm25 --model {Model}: BM25 takes no model; did you mean #!hn-mine cross-encoder?"),
            "cross-encoder" or "ce" => Model is null
                ? await Hn.MineCrossEncoder(Dataset, numNegatives: NumNegatives, limit: Limit, split: Split, cancellationToken: host.CancellationToken)
                : await Hn.MineCrossEncoder(Dataset, Model, NumNegatives, Limit, Split, cancellationToken: host.CancellationToken),
            _ => throw new ArgumentException($"#!hn-mine {Source}: use bm25 or cross-encoder (LLM negatives: #!hn-generate)"),
        };
        await host.ShowAndKeepAsync(Name, mined);
    }
}
