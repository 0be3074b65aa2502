using HardNegatives.Training;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public class SamplerAndScheduleTests
{
    [Fact]
    public void SplitMix64MatchesTheReferenceSequenceForSeedZero()
    {
        // First outputs of Vigna's splitmix64.c with x = 0.
        var g = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, g.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, g.Next());
        Assert.Equal(0x06C45D188009454FUL, g.Next());
    }

    [Fact]
    public void BatchesNeverRepeatATextAndCoverEveryRowOncePerEpoch()
    {
        // Rows share texts on purpose: row i's negative is row (i+1)'s positive, and queries repeat every 5 rows.
        var rows = Enumerable.Range(0, 40).Select(i => (IReadOnlyList<string>)[$"query {i % 5}", $"passage {i}", $"passage {i + 1}"]).ToList();
        var sampler = new NoDuplicatesBatchSampler(rows, batchSize: 4, seed: 9);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var batches = sampler.Batches(epoch);
            Assert.Equal(Enumerable.Range(0, 40), batches.SelectMany(b => b).Order());
            foreach (var b in batches)
            {
                var texts = b.SelectMany(i => rows[i]).ToList();
                Assert.Equal(texts.Count, texts.Distinct().Count());
                Assert.InRange(b.Length, 1, 4);
            }
        }
        Assert.Equal(sampler.Batches(1), new NoDuplicatesBatchSampler(rows, 4, 9).Batches(1));
        Assert.NotEqual(sampler.Batches(0).Select(b => string.Join(",", b)), sampler.Batches(1).Select(b => string.Join(",", b)));
    }

    [Fact]
    public void RowsThatAllShareATextGetABatchEachAndDropLastDropsThem()
    {
        var rows = Enumerable.Range(0, 4).Select(i => (IReadOnlyList<string>)[$"q{i}", "the same positive"]).ToList();
        Assert.Equal(4, new NoDuplicatesBatchSampler(rows, 2, 1).Batches(0).Count);
        Assert.All(new NoDuplicatesBatchSampler(rows, 2, 1).Batches(0), b => Assert.Single(b));
        Assert.Empty(new NoDuplicatesBatchSampler(rows, 2, 1, dropLast: true).Batches(0));
    }

    [Fact]
    public void LinearScheduleWarmsUpThenDecaysToZeroAsHuggingFace()
    {
        var s = new LinearWarmupSchedule(1.0, WarmupSteps: 2, TotalSteps: 10);
        Assert.Equal([0.0, 0.5, 1.0, 7 / 8.0, 0.5, 1 / 8.0, 0.0], new[] { 0, 1, 2, 3, 6, 9, 10 }.Select(s.At));
        Assert.Equal(1.0, new LinearWarmupSchedule(1.0, 0, 4).At(0));
    }

    [Fact]
    public void BiasesAndLayerNormsAreExemptFromWeightDecay()
    {
        using var model = new TinyBagEncoder();
        var (decay, noDecay) = WeightDecayGroups.Split(model);
        Assert.Equal(["embed.weight", "proj.weight"], decay.Select(d => d.Name).Order());
        Assert.Equal(["norm.bias", "norm.weight", "proj.bias"], noDecay.Select(d => d.Name).Order());
    }

    [Fact]
    public void AdamWDecaysOnlyTheDecayGroup()
    {
        // With zero gradients Adam's update is 0, so one step shows the decoupled decay alone: w ← w·(1 − lr·wd).
        using var model = new TinyBagEncoder();
        var before = model.Snapshot();
        using var opt = WeightDecayGroups.CreateAdamW(model, learningRate: 0.1, weightDecay: 0.5);
        foreach (var p in model.parameters()) p.grad = zeros_like(p);
        opt.step();
        var after = model.Snapshot();
        Assert.Equal(before["proj.weight"].Select(w => w * 0.95f), after["proj.weight"], (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(before["norm.weight"], after["norm.weight"]);
        Assert.Equal(before["proj.bias"], after["proj.bias"]);
    }
}
