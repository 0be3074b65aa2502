using HardNegatives.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Training;

/// <summary>
/// A test-sized bi-encoder: words hashed into a small embedding table, masked mean, dropout, linear, layer norm.
/// Small enough to train for a dozen steps in milliseconds, with every part the trainer must handle (dropout,
/// biases, a layer norm, an embedding table).
/// </summary>
sealed class TinyBagEncoder : nn.Module<Tensor, Tensor, Tensor>, IEmbeddingModel
{
    const int Buckets = 257;
    readonly Embedding embed;
    readonly Dropout dropout;
    readonly Linear proj;
    readonly LayerNorm norm;

    public TinyBagEncoder(int dim = 8, double dropoutRate = 0.0, long seed = 1) : base(nameof(TinyBagEncoder))
    {
        manual_seed(seed);
        embed = nn.Embedding(Buckets, dim);
        dropout = nn.Dropout(dropoutRate);
        proj = nn.Linear(dim, dim);
        norm = nn.LayerNorm(dim);
        RegisterComponents();
    }

    public nn.Module Module => this;
    public Device Device => CPU;

    public Tensor Encode(IReadOnlyList<string> texts)
    {
        var tokens = texts.Select(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Bucket).DefaultIfEmpty(0).ToArray()).ToList();
        int max = tokens.Max(t => t.Length);
        var ids = new long[texts.Count * max];
        var mask = new float[texts.Count * max];
        for (int i = 0; i < tokens.Count; i++)
            for (int j = 0; j < tokens[i].Length; j++) { ids[i * max + j] = tokens[i][j]; mask[i * max + j] = 1; }
        using var scope = NewDisposeScope();
        return forward(tensor(ids, [texts.Count, max]), tensor(mask, [texts.Count, max])).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor ids, Tensor mask)
    {
        var m = mask.unsqueeze(-1);
        var mean = (embed.forward(ids) * m).sum(1) / m.sum(1).clamp_min(1);
        return norm.forward(proj.forward(dropout.forward(mean)));
    }

    public void Save(string directory) => save(Path.Combine(directory, "tiny.bin"));

    static long Bucket(string word)
    {
        uint h = 2166136261;
        foreach (char c in word) h = (h ^ c) * 16777619;
        return 1 + h % (Buckets - 1);
    }

    /// <summary>Every parameter's values, by name, as plain arrays (for exact comparisons).</summary>
    public Dictionary<string, float[]> Snapshot() =>
        named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());

    /// <summary>Every parameter's gradient, by name.</summary>
    public Dictionary<string, float[]> Gradients() =>
        named_parameters().ToDictionary(p => p.name, p => p.parameter.grad is { } g ? g.cpu().data<float>().ToArray() : []);
}

/// <summary>Calls back on the reporting thread, at once (System.Progress posts to a thread pool instead).</summary>
sealed class SyncProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
