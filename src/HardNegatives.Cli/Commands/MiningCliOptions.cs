using System.CommandLine;
using System.Globalization;
using HardNegatives.Mining;

namespace HardNegatives.Cli.Commands;

/// <summary>
/// The selection options every <c>hn mine</c> subcommand shares (sentence-transformers' <c>mine_hard_negatives</c> rules),
/// so BM25 and cross-encoder mining accept exactly the same words for the same rules.
/// </summary>
sealed class MiningCliOptions
{
    public Option<string> Split { get; } = new("--split") { Description = "Qrels split with the training queries and their positives.", DefaultValueFactory = _ => "train" };
    public Option<int> NumNegatives { get; } = new("--num-negatives") { Description = "Negatives per query.", DefaultValueFactory = _ => MiningDefaults.NumNegatives };
    public Option<string?> Range { get; } = new("--range") { Description = "Rank window MIN:MAX (0-based, MAX exclusive) among the candidates left after positives and filters; default sentence-transformers' rule." };
    public Option<NegativeSampling> Sampling { get; } = new("--sampling") { Description = "top: best of the window; random: seeded sample of it.", DefaultValueFactory = _ => MiningDefaults.Sampling };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for --sampling random.", DefaultValueFactory = _ => MiningDefaults.Seed };
    public Option<double?> MaxScore { get; } = new("--max-score") { Description = "Skip candidates scoring above this." };
    public Option<double?> MinScore { get; } = new("--min-score") { Description = "Skip candidates scoring below this." };
    public Option<double?> AbsoluteMargin { get; } = new("--absolute-margin") { Description = "Skip candidates with score + margin > the query's lowest positive score." };
    public Option<double?> RelativeMargin { get; } = new("--relative-margin") { Description = "Skip candidates with score > p - |p|*margin (p: lowest positive score; 0.05 = NV-Retriever's TopK-PercPos)." };
    public Option<string> Output { get; } = new("--output") { Description = "Triples file: .jsonl, or .parquet.", Required = true };

    public IEnumerable<Option> All => [Split, NumNegatives, Range, Sampling, Seed, MaxScore, MinScore, AbsoluteMargin, RelativeMargin, Output];

    /// <summary>The validated selection rules the user asked for.</summary>
    public HardNegativeMiningOptions Parse(ParseResult parse)
    {
        var (rangeMin, rangeMax) = ParseRange(parse.GetValue(Range));
        var options = new HardNegativeMiningOptions(parse.GetValue(NumNegatives), rangeMin, rangeMax, parse.GetValue(Sampling), parse.GetValue(Seed),
            parse.GetValue(MaxScore), parse.GetValue(MinScore), parse.GetValue(AbsoluteMargin), parse.GetValue(RelativeMargin));
        options.Validate();
        return options;
    }

    static (int Min, int? Max) ParseRange(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (0, null);
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && (parts[1].Length == 0 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return (min, parts[1].Length == 0 ? null : int.Parse(parts[1], CultureInfo.InvariantCulture));
        throw new ArgumentException($"--range must be MIN:MAX (e.g. 10:100) or MIN: for the default end, got '{text}'");
    }
}
