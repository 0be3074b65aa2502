using HardNegatives.Training;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Training;

/// <summary>GradCache must give the plain loss's value and gradients (within float32 rounding).</summary>
[Collection(TorchGlobalStateCollection.Name)]
public class GradCacheObjectiveTests
{
    static readonly TrainingBatch Batch = Build(TrainingData.Triples(8, negatives: 2));

    static TrainingBatch Build(IReadOnlyList<HardNegatives.Negatives.Triple> rows) => new(
        rows.Select(r => r.Query).ToList(), rows.Select(r => r.Positive).ToList(),
        Enumerable.Range(0, 2).Select(k => (IReadOnlyList<string>)rows.Select(r => r.Negatives[k].Text).ToList()).ToList());

    static (double Loss, Dictionary<string, float[]> Grads) Run(ITrainingObjective objective, double dropout)
    {
        using var model = new TinyBagEncoder(dim: 8, dropoutRate: dropout, seed: 5);
        model.train();
        manual_seed(11);
        double loss = objective.Backward(model, Batch, 0.5);
        return (loss, model.Gradients());
    }

    static void AssertClose(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, e) in expected)
        {
            var a = actual[name];
            Assert.Equal(e.Length, a.Length);
            Assert.Contains(e, x => x != 0);   // the comparison means something only when gradients flow
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(e[i] - a[i]) <= 1e-6 + 1e-4 * Math.Abs(e[i]), $"{name}[{i}]: plain {e[i]} vs cached {a[i]}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void CachedMnrlGivesThePlainGradientsWithoutDropout(int miniBatch)
    {
        var loss = new MultipleNegativesRankingLoss();
        var plain = Run(new DirectObjective(loss), dropout: 0);
        var cached = Run(new GradCacheObjective(loss, miniBatch), dropout: 0);
        Assert.Equal(plain.Loss, cached.Loss, 5);
        AssertClose(plain.Grads, cached.Grads);
    }

    [Fact]
    public void WithDropoutTheReplayedRandomStateReproducesThePlainGradients()
    {
        // One mini-batch per column draws dropout masks in the same order as the plain objective, so only a faithful
        // replay of the generator state in the second forward pass can give the same gradients.
        var loss = new MultipleNegativesRankingLoss();
        var plain = Run(new DirectObjective(loss), dropout: 0.3);
        AssertClose(plain.Grads, Run(new GradCacheObjective(loss, 8), dropout: 0.3).Grads);

        var unreplayed = Run(new GradCacheObjective(loss, 8) { ReplayRandomState = false }, dropout: 0.3);
        Assert.Contains(plain.Grads, kv => kv.Value.Zip(unreplayed.Grads[kv.Key]).Any(p => Math.Abs(p.First - p.Second) > 1e-3 * Math.Max(1, Math.Abs(p.First))));
    }

    [Fact]
    public void CachedTripletLossAlsoMatches()
    {
        var loss = new TripletMarginLoss(margin: 1);
        var plain = Run(new DirectObjective(loss), dropout: 0);
        var cached = Run(new GradCacheObjective(loss, 3), dropout: 0);
        Assert.Equal(plain.Loss, cached.Loss, 5);
        AssertClose(plain.Grads, cached.Grads);
    }
}
