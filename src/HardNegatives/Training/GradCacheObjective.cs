using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// GradCache (Gao et al. 2021, "Scaling Deep Contrastive Learning Batch Size under Memory Limited Setup"): the loss of a
/// large batch with the memory of a small one, and the same gradients. Wrapping <see cref="MultipleNegativesRankingLoss"/>
/// it is sentence-transformers' <c>CachedMultipleNegativesRankingLoss</c>.
/// </summary>
/// <remarks>
/// <para><b>How.</b> (1) Embed every column in mini-batches without grad, recording the random state before each
/// mini-batch. (2) Make the cached embeddings leaves that require grad, compute the full-batch loss and back-propagate it
/// to them only. (3) Re-embed each mini-batch with grad, with the recorded random state restored so dropout draws the same
/// masks, and back-propagate <c>sum(embedding · cached gradient)</c>, whose gradient with respect to the parameters is the
/// chain-rule term of that mini-batch. The sum over mini-batches is the full-batch gradient.</para>
/// <para><b>Random state.</b> As sentence-transformers' <c>RandContext</c>, the CPU generator state is saved and restored
/// around each mini-batch. TorchSharp 0.107 cannot read CUDA generator state, so on CUDA each mini-batch additionally
/// reseeds the CUDA generators with a seed drawn from the CPU generator; the replay is then exact there too.</para>
/// </remarks>
public sealed class GradCacheObjective(EmbeddingLoss loss, int miniBatchSize = 32) : ITrainingObjective
{
    public EmbeddingLoss Loss { get; } = loss;
    public int MiniBatchSize { get; } = miniBatchSize > 0 ? miniBatchSize : throw new ArgumentOutOfRangeException(nameof(miniBatchSize), "mini-batch size must be positive");

    /// <summary>Off only in tests, to show that without the replay dropout makes the gradients differ.</summary>
    internal bool ReplayRandomState { get; init; } = true;

    public double Backward(IEmbeddingModel model, TrainingBatch batch, double lossMultiplier)
    {
        using var scope = NewDisposeScope();
        var columns = batch.Columns().ToList();
        var states = new List<List<RandomState>>();
        var cached = new List<Tensor>();
        using (no_grad())
        {
            foreach (var column in columns)
            {
                var parts = new List<Tensor>();
                var columnStates = new List<RandomState>();
                foreach (var (start, count) in Chunks(column.Count))
                {
                    var state = RandomState.Capture(model.Device);
                    columnStates.Add(state);
                    state.Apply(model.Device);
                    parts.Add(model.Encode(Slice(column, start, count)));
                }
                states.Add(columnStates);
                cached.Add(parts.Count == 1 ? parts[0] : cat(parts, 0));
            }
        }
        var leaves = cached.Select(c => c.detach().requires_grad_(true)).ToList();
        var loss = Loss.Forward(leaves[0], leaves[1], leaves.Skip(2).ToList());
        (loss * lossMultiplier).backward();
        double value = loss.item<float>();

        var after = RandomState.Capture(model.Device);
        for (int c = 0; c < columns.Count; c++)
        {
            var grad = leaves[c].grad ?? throw new InvalidOperationException("the loss did not depend on every embedding column");
            int i = 0;
            foreach (var (start, count) in Chunks(columns[c].Count))
            {
                using var inner = NewDisposeScope();
                if (ReplayRandomState) states[c][i].Apply(model.Device);
                var embeddings = model.Encode(Slice(columns[c], start, count));
                (embeddings * grad.narrow(0, start, count)).sum().backward();
                i++;
            }
        }
        // Leave the generators where the no-grad pass left them, as if each mini-batch had been drawn once.
        after.Apply(model.Device);
        foreach (var s in states.SelectMany(x => x)) s.Dispose();
        after.Dispose();
        return value;
    }

    IEnumerable<(int Start, int Count)> Chunks(int n)
    {
        for (int s = 0; s < n; s += MiniBatchSize) yield return (s, Math.Min(MiniBatchSize, n - s));
    }

    static IReadOnlyList<string> Slice(IReadOnlyList<string> column, int start, int count) =>
        start == 0 && count == column.Count ? column : column.Skip(start).Take(count).ToList();

    /// <summary>The CPU generator state, plus a CUDA seed when the model is on CUDA.</summary>
    sealed class RandomState(Tensor cpu, long? cudaSeed) : IDisposable
    {
        public static RandomState Capture(Device device)
        {
            long? cudaSeed = null;
            if (device.type == DeviceType.CUDA)
                using (var r = randint(long.MaxValue, [1], dtype: ScalarType.Int64)) cudaSeed = r.item<long>();
            var cpu = get_rng_state();
            cpu.DetachFromDisposeScope();
            return new RandomState(cpu, cudaSeed);
        }

        public void Apply(Device device)
        {
            set_rng_state(cpu);
            if (cudaSeed is long seed && device.type == DeviceType.CUDA) cuda.manual_seed_all(seed);
        }

        public void Dispose() => cpu.Dispose();
    }
}
