using HardNegatives.Evaluation.Significance;

namespace HardNegatives.Tests.Evaluation.Significance;

public class StudentTTests
{
    // Closed forms of the two-sided tail P(|T| >= t):
    //   ν = 1 (Cauchy):  1 − (2/π)·atan(t)
    //   ν = 2:           1 − t / sqrt(2 + t²)
    //   ν = 3:           1 − (2/π)·(θ + sinθ·cosθ), θ = atan(t/√3)
    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(12.706204736174707)]
    [InlineData(100.0)]
    public void MatchesClosedFormsForOneTwoAndThreeDegreesOfFreedom(double t)
    {
        Assert.Equal(1 - 2 / Math.PI * Math.Atan(t), StudentT.TwoSidedPValue(t, 1), 1e-12);
        Assert.Equal(1 - t / Math.Sqrt(2 + t * t), StudentT.TwoSidedPValue(t, 2), 1e-12);
        double theta = Math.Atan(t / Math.Sqrt(3));
        Assert.Equal(1 - 2 / Math.PI * (theta + Math.Sin(theta) * Math.Cos(theta)), StudentT.TwoSidedPValue(t, 3), 1e-12);
        Assert.Equal(StudentT.TwoSidedPValue(t, 7), StudentT.TwoSidedPValue(-t, 7), 15);
    }

    // Critical values from standard t tables (two-sided α): t_{0.975,ν} and t_{0.995,ν}.
    [Theory]
    [InlineData(12.706204736174707, 1, 0.05)]
    [InlineData(2.570581835636314, 5, 0.05)]
    [InlineData(2.228138851986274, 10, 0.05)]
    [InlineData(2.085963447265837, 20, 0.05)]
    [InlineData(2.042272456301238, 30, 0.05)]
    [InlineData(3.169272672616951, 10, 0.01)]
    [InlineData(2.845339709785703, 20, 0.01)]
    public void MatchesTableCriticalValues(double t, int df, double alpha) =>
        Assert.Equal(alpha, StudentT.TwoSidedPValue(t, df), 1e-9);

    [Fact]
    public void IncompleteBetaSpecialCases()
    {
        foreach (var x in new[] { 0.01, 0.3, 0.5, 0.77, 0.99 })
        {
            Assert.Equal(Math.Pow(x, 3.5), StudentT.RegularizedIncompleteBeta(x, 3.5, 1), 1e-12);       // I_x(a,1) = x^a
            Assert.Equal(1 - Math.Pow(1 - x, 2.5), StudentT.RegularizedIncompleteBeta(x, 1, 2.5), 1e-12); // I_x(1,b) = 1-(1-x)^b
        }
        Assert.Equal(0.5, StudentT.RegularizedIncompleteBeta(0.5, 7.25, 7.25), 1e-12); // symmetry
        Assert.Equal(Math.Log(24), StudentT.LogGamma(5), 1e-12);
        Assert.Equal(0.5 * Math.Log(Math.PI), StudentT.LogGamma(0.5), 1e-12);
    }

    [Fact]
    public void PairedTTestByHand()
    {
        // d = b − a = [1, 2, 2, 4]; mean 2.25; Σ(d−mean)² = 1.5625 + 0.0625 + 0.0625 + 3.0625 = 4.75;
        // sd = sqrt(4.75/3); t = 2.25 / (sd/2); ν = 3, p from the ν = 3 closed form.
        var r = PairedTTest.Test([1, 2, 3, 4], [2, 4, 5, 8]);
        double sd = Math.Sqrt(4.75 / 3), t = 2.25 / (sd / 2);
        Assert.Equal(2.25, r.MeanDifference, 1e-12);
        Assert.Equal(t, r.T, 1e-12);
        Assert.Equal(3, r.DegreesOfFreedom);
        double theta = Math.Atan(t / Math.Sqrt(3));
        Assert.Equal(1 - 2 / Math.PI * (theta + Math.Sin(theta) * Math.Cos(theta)), r.PValue, 1e-12);
    }

    [Fact]
    public void PairedTTestDegenerateCases()
    {
        Assert.Equal(1.0, PairedTTest.Test([0.5, 0.5, 0.2], [0.5, 0.5, 0.2]).PValue);
        Assert.Equal(0.0, PairedTTest.Test([0.1, 0.2, 0.3], [0.2, 0.3, 0.4]).PValue); // identical differences
        Assert.Throws<ArgumentException>(() => PairedTTest.Test([1, 2], [1]));
    }
}
