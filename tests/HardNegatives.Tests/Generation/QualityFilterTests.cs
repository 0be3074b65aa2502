using HardNegatives.Generation;

namespace HardNegatives.Tests.Generation;

public class QualityFilterTests
{
    const string Query = "Does aspirin reduce the risk of colorectal cancer?";
    const string Positive = "Daily aspirin use for at least five years reduced the incidence of colorectal cancer by about 24 percent in pooled randomized trials of cardiovascular prevention.";
    static readonly QualityFilter Filter = new(new QualityFilterOptions());

    [Fact]
    public void Words_are_lowercased_letter_digit_runs()
    {
        Assert.Equal(["covid", "19", "b", "cell", "naïve"], QualityFilter.Words("COVID-19: B-cell (naïve)!"));
    }

    [Fact]
    public void Jaccard_matches_hand_computation()
    {
        // {a,b,c} vs {b,c,d}: intersection 2, union 4.
        Assert.Equal(0.5, QualityFilter.Jaccard(new HashSet<string> { "a", "b", "c" }, new HashSet<string> { "b", "c", "d" }));
        Assert.Equal(0.0, QualityFilter.Jaccard(new HashSet<string>(), new HashSet<string>()));
        Assert.Equal(1.0, QualityFilter.Jaccard(new HashSet<string> { "x" }, new HashSet<string> { "x" }));
    }

    [Fact]
    public void Good_negative_is_kept()
    {
        const string negative = "Aspirin use was not associated with a lower incidence of gastric cancer in a cohort of 90,000 nurses followed for twelve years, although bleeding risk rose with dose.";
        Assert.Null(Filter.Check(negative, Query, Positive, []));
    }

    [Theory]
    [InlineData("", RejectionReason.Empty)]
    [InlineData("   \n ", RejectionReason.Empty)]
    [InlineData("Aspirin reduces cancer.", RejectionReason.TooShort)]
    [InlineData("Daily aspirin use for at least five years reduced the incidence of colorectal cancer by about 24 percent in pooled randomized trials.", RejectionReason.CopyOfPositive)]
    [InlineData("Does aspirin reduce the risk of colorectal cancer in adults?", RejectionReason.CopyOfQuery)]
    [InlineData("I cannot write a passage that is misleading about aspirin and cancer prevention in trials, sorry.", RejectionReason.RefusalOrMeta)]
    [InlineData("As an AI language model, I would note that aspirin has many effects on bleeding and on tumours.", RejectionReason.RefusalOrMeta)]
    [InlineData("Sure, aspirin trials in cardiovascular prevention have reported many outcomes over the years.", RejectionReason.RefusalOrMeta)]
    [InlineData("Here is a passage about aspirin trials in cardiovascular prevention and their secondary outcomes.", RejectionReason.RefusalOrMeta)]
    public void Rejections(string passage, RejectionReason expected) => Assert.Equal(expected, Filter.Check(passage, Query, Positive, []));

    [Fact]
    public void Too_long_relative_to_positive()
    {
        var positiveWords = QualityFilter.Words(Positive).Count; // 25
        var longText = string.Join(' ', Enumerable.Range(0, 4 * positiveWords + 1).Select(i => $"w{i}"));
        Assert.Equal(RejectionReason.TooLong, Filter.Check(longText, Query, Positive, []));
        var justRight = string.Join(' ', Enumerable.Range(0, 4 * positiveWords).Select(i => $"w{i}"));
        Assert.Null(Filter.Check(justRight, Query, Positive, []));
    }

    [Fact]
    public void Near_duplicate_of_a_kept_negative_is_rejected()
    {
        const string kept = "Aspirin use was not associated with a lower incidence of gastric cancer in a cohort of nurses followed for twelve years.";
        const string again = "Aspirin use was not associated with a lower incidence of gastric cancer in a cohort of nurses followed for 12 years.";
        Assert.Equal(RejectionReason.Duplicate, Filter.Check(again, Query, Positive, [kept]));
    }

    [Fact]
    public void Copy_threshold_is_inclusive()
    {
        // 4 shared of 5 distinct words: Jaccard exactly 0.8.
        var filter = new QualityFilter(new QualityFilterOptions(MinLengthRatio: 0, MinWords: 1));
        Assert.Equal(RejectionReason.CopyOfPositive, filter.Check("alpha beta gamma delta", "zzz", "alpha beta gamma delta epsilon", []));
        Assert.Null(filter.Check("alpha beta gamma omega", "zzz", "alpha beta gamma delta epsilon", []));
    }
}
