using HardNegatives.Training;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public class LossTests
{
    [Fact]
    public void MnrlWithDotScoresMatchesHandComputedCrossEntropy()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var p = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        var n = tensor(new float[] { 0, 1, 1, 0 }, [2, 2]);
        // Without negatives: scores [[1,0],[0,1]], each row -log(e/(e+1)) = log(1 + 1/e).
        Assert.Equal(Math.Log(1 + 1 / Math.E), new MultipleNegativesRankingLoss(1, SimilarityFunction.Dot).Forward(a, p, []).item<float>(), 5);
        // With the negative column: row 0 scores [1,0,0,1] against label 0, row 1 [0,1,1,0] against 1: -log(e/(2e+2)).
        Assert.Equal(Math.Log(2 + 2 / Math.E), new MultipleNegativesRankingLoss(1, SimilarityFunction.Dot).Forward(a, p, [n]).item<float>(), 5);
    }

    [Fact]
    public void MnrlMatchesAnIndependentDoublePrecisionComputation()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        int b = 5, h = 7;
        var a = randn(b, h); var p = randn(b, h); var n1 = randn(b, h); var n2 = randn(b, h);
        foreach (var sim in new[] { SimilarityFunction.Cosine, SimilarityFunction.Dot })
        {
            double expected = ReferenceMnrl(Rows(a), [.. Rows(p), .. Rows(n1), .. Rows(n2)], 20, sim);
            double actual = new MultipleNegativesRankingLoss(20, sim).Forward(a, p, [n1, n2]).item<float>();
            Assert.Equal(expected, actual, 3);
            Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{sim}: {expected} vs {actual}");
        }
    }

    [Fact]
    public void TripletLossIsTheHingeOfEuclideanDistancesAveragedOverNegatives()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 0, 0 }, [1, 2]);
        var p = tensor(new float[] { 3, 4 }, [1, 2]);          // d(a,p) = 5
        var far = tensor(new float[] { 6, 8 }, [1, 2]);        // d = 10: max(0, 5 - 10 + 5) = 0
        var near = tensor(new float[] { 0, 1 }, [1, 2]);       // d = 1:  max(0, 5 - 1 + 5) = 9
        var loss = new TripletMarginLoss(margin: 5);
        Assert.Equal(0, loss.Forward(a, p, [far]).item<float>(), 3);
        Assert.Equal(9, loss.Forward(a, p, [near]).item<float>(), 3);
        Assert.Equal(4.5, loss.Forward(a, p, [far, near]).item<float>(), 3);
        Assert.Throws<ArgumentException>(() => loss.Forward(a, p, []));
    }

    static List<double[]> Rows(Tensor t)
    {
        var data = t.data<float>().ToArray();
        int h = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(i => data.Skip(i * h).Take(h).Select(x => (double)x).ToArray()).ToList();
    }

    static double ReferenceMnrl(List<double[]> anchors, List<double[]> candidates, double scale, SimilarityFunction sim)
    {
        double Dot(double[] x, double[] y) => x.Zip(y, (u, v) => u * v).Sum();
        double Score(double[] x, double[] y) => sim == SimilarityFunction.Dot ? Dot(x, y) : Dot(x, y) / Math.Sqrt(Dot(x, x)) / Math.Sqrt(Dot(y, y));
        double total = 0;
        for (int i = 0; i < anchors.Count; i++)
        {
            var s = candidates.Select(c => scale * Score(anchors[i], c)).ToArray();
            double max = s.Max();
            total += -(s[i] - max - Math.Log(s.Sum(x => Math.Exp(x - max))));
        }
        return total / anchors.Count;
    }
}
