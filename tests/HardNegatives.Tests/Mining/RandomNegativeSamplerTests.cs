using HardNegatives.Data;
using HardNegatives.Mining;

namespace HardNegatives.Tests.Mining;

public class RandomNegativeSamplerTests
{
    [Fact]
    public void OnSciFactTrainNoPositiveIsANegativeAndTheSameSeedGivesTheSameRows()
    {
        var scifact = DatasetLocator.Open("scifact");
        var pairs = TrainingPairs.FromBeir(scifact, "train").Pairs;
        var corpus = scifact.StreamCorpus().ToList();
        var a = RandomNegativeSampler.Sample(pairs, corpus, 3, seed: 7).ToList();
        var b = RandomNegativeSampler.Sample(pairs, corpus, 3, seed: 7).ToList();
        var c = RandomNegativeSampler.Sample(pairs, corpus, 3, seed: 8).ToList();
        Assert.Equal(pairs.Sum(p => p.Positives.Count), a.Count);
        var positives = pairs.ToDictionary(p => p.QueryId, p => p.Positives.Select(d => d.Id).ToHashSet());
        Assert.All(a, t =>
        {
            Assert.Equal(3, t.Negatives.Select(n => n.Id).Distinct().Count());
            Assert.DoesNotContain(t.Negatives, n => positives[t.QueryId].Contains(n.Id));
        });
        Assert.Equal(a.SelectMany(t => t.Negatives.Select(n => n.Id)), b.SelectMany(t => t.Negatives.Select(n => n.Id)));
        Assert.NotEqual(a.SelectMany(t => t.Negatives.Select(n => n.Id)), c.SelectMany(t => t.Negatives.Select(n => n.Id)));
    }
}
