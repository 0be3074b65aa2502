using System.Text.Json;
using HardNegatives.Generation;

namespace HardNegatives.Tests.Generation;

/// <summary>Items and answers shaped like SciFact (claims, abstracts), distinct enough to pass the quality filters.</summary>
static class LoopbackFixtures
{
    public static readonly string[] GoodNegatives =
    [
        "Researchers measured serum markers in ninety volunteers and reported no change after treatment with the compound over twelve weeks of follow up.",
        "A mouse model of inflammation showed that receptor signalling increased cytokine release independently of dose or timing of the exposure.",
        "Population registries from northern Europe describe rising incidence of the condition among older women since the nineteen nineties.",
        "Genome wide association data identified a locus on chromosome six that explains little of the heritability reported in twin cohorts.",
    ];

    public static List<GenerationItem> Items(int count) => Enumerable.Range(0, count).Select(i => new GenerationItem(
        $"q{i}", $"Does drug{i} reduce mortality in heart failure?", $"d{i}",
        $"Treatment with drug{i} reduced all cause mortality by thirty percent in a randomized trial of adults with chronic heart failure.")).ToList();

    public static string Answer(params string[] negatives) => JsonSerializer.Serialize(new { negatives });

    public static string Good(int count) => Answer(GoodNegatives.Take(count).ToArray());

    /// <summary>How many negatives the request asks for (the template says "Write N different passages").</summary>
    public static int Asked(LoopbackChatRequest r)
    {
        var text = r.LastUserMessage;
        var at = text.IndexOf("Write ", StringComparison.Ordinal) + 6;
        return int.Parse(text[at..text.IndexOf(' ', at)]);
    }

    static readonly string[] Vocabulary =
        ["cells", "protein", "expression", "patients", "cohort", "receptor", "signalling", "tumour", "dose", "trial", "mice", "serum",
         "pathway", "incidence", "risk", "therapy", "gene", "variant", "immune", "response", "kinase", "plasma", "tissue", "outcome"];

    /// <summary>An answer with as many passages as asked, each as long as the prompt says the positive is ("about N words").</summary>
    public static string Sized(LoopbackChatRequest r)
    {
        var text = r.LastUserMessage;
        var at = text.IndexOf("(about ", StringComparison.Ordinal) + 7;
        var words = int.Parse(text[at..text.IndexOf(' ', at)]);
        return Answer(Enumerable.Range(0, Asked(r)).Select(k =>
            string.Join(' ', Enumerable.Range(0, words).Select(j => Vocabulary[(j * 7 + k * 5) % Vocabulary.Length] + (k + 1)))).ToArray());
    }

    public static GenerationOptions Options(string cachePath, string model = "test-model") => new()
    {
        Model = model,
        CachePath = cachePath,
        Concurrency = 2,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };
}
