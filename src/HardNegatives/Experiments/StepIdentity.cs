using HardNegatives.Data;
using HardNegatives.Identity;

namespace HardNegatives.Experiments;

/// <summary>
/// What a step's key is made of, kept apart so that a rerun can say why a step will run: the identity of the stage's
/// <see cref="Code"/>, the content hashes of its <see cref="Inputs"/> (files, and the keys of the artifacts it reads), and
/// the hash of its <see cref="Options"/> (the canonical JSON of the spec fields it uses).
/// </summary>
public sealed record KeyParts(string Code, IReadOnlyDictionary<string, string> Inputs, string Options);

/// <summary>Why a step will run, compared with the last artifact stored for the same step id.</summary>
public static class RunReasons
{
    public const string Stored = "stored";
    public const string Missing = "missing";
    public const string Code = "code";
    public const string Input = "input";
    public const string Options = "options";

    /// <summary>"stored"; "missing" (never made); or the parts that differ from the last artifact of the step ("code, input").</summary>
    public static string Why(KeyParts now, KeyParts? last, bool stored)
    {
        if (stored) return Stored;
        if (last is null) return Missing;
        var why = new List<string>();
        if (now.Code != last.Code) why.Add(Code);
        if (!now.Inputs.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(last.Inputs.OrderBy(p => p.Key, StringComparer.Ordinal))) why.Add(Input);
        if (now.Options != last.Options) why.Add(Options);
        return why.Count == 0 ? Missing : string.Join(", ", why);
    }
}

/// <summary>Where the planner gets the identity of each stage's code and the content of input files; tests substitute their own.</summary>
public interface IPlanInputs
{
    /// <summary>The identity of the code that implements <paramref name="stage"/>.</summary>
    string CodeOf(string stage);

    /// <summary>Content hashes of the files of a dataset that a stage reads, by role (corpus, queries, qrels).</summary>
    IReadOnlyDictionary<string, string> DatasetFiles(string dataset, string split, bool corpus);

    /// <summary>Content hash of a local file or folder named in the spec; null when the name is not a local path (a Hub name).</summary>
    string? LocalPath(string? nameOrPath);
}

/// <summary>
/// The kit's own plan inputs: code identity from the IL of the namespaces that implement each stage
/// (<see cref="CodeIdentity"/>), file identity from SHA-256 of the bytes (<see cref="ContentHash"/>).
/// </summary>
public sealed class KitPlanInputs : IPlanInputs
{
    public static readonly KitPlanInputs Instance = new();

    /// <summary>The namespaces (and glue types) whose code makes each stage's artifact. Editing any of them re-keys the stage.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> StageCode = new Dictionary<string, string[]>
    {
        [Stages.Negatives] = ["HardNegatives.Data", "HardNegatives.Mining", "HardNegatives.Generation", "HardNegatives.Negatives",
            "HardNegatives.Retrieval.Bm25", "HardNegatives.Models", "HardNegatives.Tokenization", "HardNegatives.Threading",
            "HardNegatives.Experiments.KitStages"],
        [Stages.Train] = ["HardNegatives.Data", "HardNegatives.Negatives", "HardNegatives.Training", "HardNegatives.Models",
            "HardNegatives.Tokenization", "HardNegatives.Experiments.KitStages"],
        [Stages.Retrieve] = ["HardNegatives.Data", "HardNegatives.Retrieval", "HardNegatives.Training", "HardNegatives.Models",
            "HardNegatives.Tokenization", "HardNegatives.Threading", "HardNegatives.Experiments.KitStages"],
        [Stages.Evaluate] = ["HardNegatives.Data", "HardNegatives.Evaluation", "HardNegatives.Experiments.KitStages"],
    };

    public string CodeOf(string stage) => CodeIdentity.Of(StageCode[stage]);

    public IReadOnlyDictionary<string, string> DatasetFiles(string dataset, string split, bool corpus)
    {
        BeirDataset data;
        try { data = DatasetLocator.Open(dataset); }
        catch (DirectoryNotFoundException) { return new Dictionary<string, string> { [$"{dataset}"] = "unavailable" }; }
        var files = new Dictionary<string, string>();
        void Add(string role, Func<string> path)
        {
            try { files[$"{dataset}/{role}"] = ContentHash.OfFile(path()); }
            catch (FileNotFoundException) { files[$"{dataset}/{role}"] = "unavailable"; } // the stage itself will say what is missing
        }
        if (corpus) Add("corpus", () => data.CorpusPath);
        Add("queries", () => data.QueriesPath);
        Add($"qrels/{split}", () => data.QrelsPath(split));
        return files;
    }

    public string? LocalPath(string? nameOrPath) => string.IsNullOrWhiteSpace(nameOrPath) ? null : ContentHash.OfPath(nameOrPath);
}
