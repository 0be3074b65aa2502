using System.Text.Json;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Negatives;

namespace HardNegatives.Training;

/// <summary>
/// What <c>hn train</c> and experiments set for a bi-encoder run, on top of <see cref="TrainingOptions"/>.
/// </summary>
/// <param name="Model">A model folder to fine-tune, or a from-scratch preset (<see cref="BiEncoderModels"/>; default <c>tiny</c>).</param>
/// <param name="MaxLength">Tokens per text including [CLS]/[SEP] (default 256).</param>
/// <param name="Device"><c>auto</c> (CUDA when available, else CPU), <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c> (default auto).</param>
/// <param name="Training">Optimisation options (default <see cref="TrainingOptions"/>'s defaults).</param>
/// <param name="VocabPath">WordPiece vocabulary for presets (default the bundled bert-base-uncased).</param>
public sealed record BiEncoderTrainingOptions(
    string Model = "tiny",
    int MaxLength = 256,
    string Device = "auto",
    TrainingOptions? Training = null,
    string? VocabPath = null)
{
    public TrainingOptions TrainingOrDefault => Training ?? new TrainingOptions();
}

/// <summary>
/// Trains a shared-weight bi-encoder (DistilBERT by default) on a triples file (JSONL or Parquet) and leaves a sentence-transformers model
/// folder: the one call the CLI and experiments need.
/// </summary>
/// <example><code>var result = await BiEncoderTrainer.TrainAsync(
///     new BiEncoderTrainingOptions("tiny:layers=2,dim=128", MaxLength: 128, Training: new TrainingOptions(Epochs: 1, BatchSize: 32)),
///     "triples.jsonl", "runs/model", progress, ct);
/// using var model = BiEncoderModels.Load("runs/model");</code></example>
public static class BiEncoderTrainer
{
    /// <summary>Written next to the model: the options of the finished run (used to skip a repeated identical run).</summary>
    public const string OptionsFileName = "bi-encoder-training.json";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The namespaces whose code decides what training produces (see <see cref="Identity.CodeIdentity"/>).</summary>
    static readonly string[] TrainingCode = ["HardNegatives.Data", "HardNegatives.Negatives", "HardNegatives.Training", "HardNegatives.Models", "HardNegatives.Tokenization"];

    /// <summary>
    /// Trains and saves to <paramref name="outputDirectory"/>. A run killed part-way resumes from its last checkpoint when
    /// called again with the same options; a run already completed with the same options returns its stored result.
    /// </summary>
    public static async Task<TrainingResult> TrainAsync(BiEncoderTrainingOptions options, string triplesPath, string outputDirectory,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var training = options.TrainingOrDefault;
        training.Validate();
        if (!File.Exists(triplesPath)) throw new FileNotFoundException($"triples file not found: {triplesPath} (make one with `hn mine bm25`)", triplesPath);
        var marker = Path.Combine(outputDirectory, OptionsFileName);
        // A stored result is returned only for the same options, the same triples bytes and the same training code.
        var identity = JsonSerializer.Serialize(new
        {
            options = options with { Training = training with { Resume = true } },
            triples = Path.GetFullPath(triplesPath),
            triples_sha256 = Identity.ContentHash.OfFile(triplesPath),
            code = Identity.CodeIdentity.Of(TrainingCode),
        }, Json);
        if (training.Resume && File.Exists(marker) && File.Exists(Path.Combine(outputDirectory, ContrastiveTrainer.SummaryFileName)))
        {
            using var stored = JsonDocument.Parse(await File.ReadAllTextAsync(marker, cancellationToken));
            if (stored.RootElement.GetProperty("identity").GetString() == identity)
                return stored.RootElement.GetProperty("result").Deserialize<TrainingResult>(Json)!;
        }

        var triples = triplesPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? await TriplesParquet.ReadAsync(triplesPath, cancellationToken).ToListAsync(cancellationToken)
            : TriplesFile.Read(triplesPath).ToList();
        var device = TorchDevices.Parse(options.Device);
        using var model = BiEncoderModels.CreateOrLoad(options.Model, options.MaxLength, device, training.Seed, options.VocabPath);
        var result = await ContrastiveTrainer.TrainAsync(model, triples, training, outputDirectory, progress, cancellationToken);
        AtomicFile.WriteAllText(marker, JsonSerializer.Serialize(new { identity, result }, Json));
        return result;
    }
}
