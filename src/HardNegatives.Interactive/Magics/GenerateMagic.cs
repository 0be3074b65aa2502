namespace HardNegatives.Interactive.Magics;

/// <summary>
/// <c>#!hn-generate --dataset scifact --model M [--endpoint http://localhost:8000/v1] [--backend openai|ollama|embedded|llamacpp]
/// [--num-negatives 3] [--limit N] [--split train] [--concurrency 8] [--name negatives]</c>: LLM-written negatives
/// (<see cref="Hn.Generate"/>), resumable from their cache; the variable feeds <c>#!hn-train --triples</c>.
/// </summary>
/// <param name="Endpoint">Server base URL(s), comma-separated replicas; the in-process backends need none.</param>
/// <param name="Limit">Only the first N pairs (0 = all).</param>
public sealed record GenerateMagic(string Dataset, string Model, string? Endpoint = null, string Backend = "openai", int NumNegatives = 3,
    int Limit = 0, string Split = "train", int Concurrency = 8, string Name = "negatives")
{
    public static GenerateMagic From(MagicArguments a) =>
        new(a.Required("dataset"), a.Required("model", "the generator as the server knows it, or a model folder / .gguf file in process"),
            a.String("endpoint"), a.String("backend") ?? "openai", a.Int("num-negatives") ?? 3, a.Int("limit") ?? 0, a.String("split") ?? "train",
            a.Int("concurrency") ?? 8, a.String("name") ?? "negatives");

    public async Task RunAsync(IMagicHost host)
    {
        var generated = await Hn.Generate(Dataset, Model, Endpoint, Backend, NumNegatives, Limit, Split, Concurrency, cancellationToken: host.CancellationToken);
        await host.ShowAndKeepAsync(Name, generated);
    }
}
