namespace HardNegatives.Interactive.Magics;

/// <summary><c>#!hn-mine bm25 --dataset scifact [--num-negatives 3] [--limit N] [--split train] [--name negatives]</c></summary>
/// <param name="Source">Where negatives come from; only <c>bm25</c> is a magic so far.</param>
/// <param name="Limit">Mine only the first N training queries (0 = all).</param>
/// <param name="Name">The variable that receives the <see cref="Facade.MinedNegatives"/>.</param>
public sealed record MineMagic(string Source, string Dataset, int NumNegatives = 3, int Limit = 0, string Split = "train", string Name = "negatives")
{
    public static MineMagic From(MagicArguments a) =>
        new(a.String("source") ?? "bm25", a.Required("dataset"), a.Int("num-negatives") ?? 3, a.Int("limit") ?? 0, a.String("split") ?? "train", a.String("name") ?? "negatives");

    public async Task RunAsync(IMagicHost host)
    {
        if (Source != "bm25") throw new ArgumentException($"#!hn-mine {Source}: only bm25 is a magic so far; use the library for a cross-encoder (notebook 03)");
        var mined = await Hn.MineBm25(Dataset, NumNegatives, Limit, Split, cancellationToken: host.CancellationToken);
        await host.ShowAndKeepAsync(Name, mined);
    }
}
