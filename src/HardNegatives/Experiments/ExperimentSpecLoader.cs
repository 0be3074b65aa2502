using System.Text.Json;
using System.Text.Json.Serialization;
using HardNegatives.Data;

namespace HardNegatives.Experiments;

/// <summary>
/// Loads and validates an experiment spec (JSON, snake_case keys, comments allowed). Every problem is reported as
/// <c>file:line: path: what is wrong</c>, all of them at once, so a user fixes the file in one pass.
/// </summary>
public static class ExperimentSpecLoader
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>Reads <paramref name="path"/>; a folder means its <c>spec.json</c>.</summary>
    public static ExperimentSpec Load(string path)
    {
        path = ResolvePath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"experiment spec not found: {path}");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The spec file <see cref="Load"/> reads for <paramref name="path"/>: a folder's <c>spec.json</c>, or the path with <c>.json</c> added.</summary>
    public static string ResolvePath(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, "spec.json");
        if (!File.Exists(path) && File.Exists(path + ".json")) path += ".json";
        return path;
    }

    /// <summary>Reports <paramref name="problems"/> as one <see cref="DataFormatException"/>: <c>file:line: path: problem</c> per line.</summary>
    public static DataFormatException ErrorOf(IReadOnlyList<Problem> problems, string json, string sourceName)
    {
        var map = new JsonLineMap(json);
        var first = problems[0];
        var rest = problems.Skip(1).Select(p => $"\n{sourceName}:{map.LineOf(p.Path)}: {p.Path}: {p.Message}");
        return new DataFormatException(sourceName, map.LineOf(first.Path), $"{first.Path}: {first.Message}{string.Concat(rest)}");
    }

    /// <summary>Parses and validates spec text; <paramref name="sourceName"/> names it in errors.</summary>
    public static ExperimentSpec Parse(string json, string sourceName)
    {
        ExperimentSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ExperimentSpec>(json, Json);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $"{e.Path.TrimStart('$', '.')}: ";
            throw new DataFormatException(sourceName, line, where + CleanMessage(e));
        }
        if (spec is null) throw new DataFormatException(sourceName, 1, "the spec is empty");
        var problems = Validate(spec);
        if (problems.Count > 0) throw ErrorOf(problems, json, sourceName);
        return spec;
    }

    /// <summary>A validation problem at a JSON path.</summary>
    public sealed record Problem(string Path, string Message);

    /// <summary>Checks the rules the type system cannot: required fields per source kind, ranges, unique names.</summary>
    public static IReadOnlyList<Problem> Validate(ExperimentSpec spec)
    {
        var problems = new List<Problem>();
        void Require(bool ok, string path, string message) { if (!ok) problems.Add(new Problem(path, message)); }

        Require(!string.IsNullOrWhiteSpace(spec.Name), "name", "give the experiment a name");
        if (!string.IsNullOrWhiteSpace(spec.Name)) Require(SpecNames.IsFolderName(spec.Name), "name", SpecNames.FolderNameProblem(spec.Name));
        if (spec.Training is null) problems.Add(new Problem("training", "missing: give training.dataset (and split)"));
        else if (spec.Training.TriplesFile is not null)
            // Rejected here, at load time, rather than failing at run time: an experiment compares negative sources, which a
            // ready triples file would bypass. To train on a triples file, use `hn train --triples FILE`.
            problems.Add(new Problem("training.triples_file",
                "not supported in experiment specs (the sources make the negatives); give training.dataset, or train on a ready triples file with `hn train --triples FILE`"));
        else Require(spec.Training.Dataset is not null, "training.dataset", "give the dataset whose training qrels supply queries and positives (e.g. scifact)");
        if (spec.Sources is null || spec.Sources.Count == 0) problems.Add(new Problem("sources", "list at least one negative source"));
        else
        {
            for (int i = 0; i < spec.Sources.Count; i++)
            {
                var s = spec.Sources[i];
                var p = $"sources[{i}]";
                Require(!string.IsNullOrWhiteSpace(s.Name), $"{p}.name", "every source needs a name (its row label)");
                if (s.Name is not null) Require(SpecNames.IsLabel(s.Name), $"{p}.name", SpecNames.LabelProblem(s.Name));
                Require(s.NumNegatives >= 1, $"{p}.num_negatives", $"must be at least 1 (is {s.NumNegatives})");
                Require(s.RangeMin >= 0 && (s.RangeMax is null || s.RangeMax > s.RangeMin), $"{p}.range_max", $"need 0 <= range_min < range_max (are {s.RangeMin}, {s.RangeMax})");
                Require(s.Sampling is "top" or "random", $"{p}.sampling", $"'{s.Sampling}' is not a sampling; use top or random");
                // A ce/llm source without a model or endpoint is not an error: it is reported as "not run" (see SourceReadiness).
                if (s.Kind == NegativeSourceKind.Llm && s.Backend is not null)
                    Require(s.Backend is "openai" or "ollama" or "embedded" or "llamacpp", $"{p}.backend", $"'{s.Backend}' is not a backend; use openai, ollama, embedded or llamacpp");
            }
            foreach (var dup in spec.Sources.GroupBy(s => s.Name).Where(g => g.Count() > 1))
                problems.Add(new Problem($"sources[{spec.Sources.ToList().FindLastIndex(s => s.Name == dup.Key)}].name", $"'{dup.Key}' names two sources"));
        }
        if (spec.Model is null) problems.Add(new Problem("model", "missing: give model.base"));
        else
        {
            Require(spec.Model.BatchSize >= 2, "model.batch_size", "in-batch negatives need a batch of at least 2");
            Require(spec.Model.Epochs >= 1 || spec.Model.MaxSteps > 0, "model.epochs", "train for at least one epoch or set max_steps");
            Require(spec.Model.LearningRate > 0, "model.learning_rate", "must be positive");
            Require(spec.Model.Loss is "mnrl" or "cached_mnrl" or "triplet", "model.loss", $"'{spec.Model.Loss}' is not a loss; use mnrl, cached_mnrl or triplet");
        }
        if (spec.Evaluation is null) problems.Add(new Problem("evaluation", "missing: give evaluation.datasets"));
        else
        {
            Require(spec.Evaluation.Datasets is { Count: > 0 }, "evaluation.datasets", "list at least one dataset");
            Require(spec.Evaluation.AverageOver is EvaluationSpec.AllJudged or EvaluationSpec.InRun, "evaluation.average_over",
                $"'{spec.Evaluation.AverageOver}' is not an averaging rule; use all_judged (trec_eval -c, Anserini) or in_run (BEIR's evaluator)");
            Require(spec.Evaluation.Alpha is > 0 and < 1, "evaluation.alpha", $"a significance level in (0, 1), such as 0.05 (is {spec.Evaluation.Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        Require(spec.Seeds is { Count: > 0 }, "seeds", "list at least one seed");
        problems.AddRange(SpecRangeChecks.Problems(spec));
        return problems;
    }

    /// <summary>What the field accepts, in the spec's words instead of a .NET type name.</summary>
    static string ExpectedValue(string message)
    {
        var type = message[(message.IndexOf("could not be converted to", StringComparison.Ordinal) + 26)..].TrimEnd('.', ' ');
        if (type.EndsWith(nameof(NegativeSourceKind), StringComparison.Ordinal))
            return $"not a source kind; use one of {string.Join(", ", Enum.GetNames<NegativeSourceKind>().Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)))}";
        return type switch
        {
            _ when type.Contains("Int32") || type.Contains("Int64") => "expected a whole number",
            _ when type.Contains("Double") || type.Contains("Single") => "expected a number",
            _ when type.Contains("Boolean") => "expected true or false",
            _ when type.Contains("String") && type.Contains("List") => "expected a list of strings, e.g. [\"scifact\"]",
            _ when type.Contains("List") => "expected a list",
            _ when type.Contains("String") => "expected a string",
            _ => "wrong kind of value here (see experiments/quickstart/spec.json for an example)",
        };
    }

    static string CleanMessage(JsonException e)
    {
        var m = e.Message;
        int cut = m.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) m = m[..cut];
        if (m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            m = "unknown field (check its spelling; fields are snake_case)";
        else if (m.Contains("could not be converted to", StringComparison.Ordinal))
            m = ExpectedValue(m);
        return m;
    }
}
