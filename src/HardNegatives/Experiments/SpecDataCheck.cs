using HardNegatives.Data;

namespace HardNegatives.Experiments;

/// <summary>
/// The checks of a spec that need its files: every dataset it names can be opened and has the split it asks for, a
/// training triples file exists, and the base model names something (<see cref="Training.BaseModelNames"/>). Run before any stage (and by <c>--dry-run</c>), so a typo fails in a second with
/// <c>file:line: path: problem</c> instead of after training.
/// </summary>
public static class SpecDataCheck
{
    public static IReadOnlyList<ExperimentSpecLoader.Problem> Problems(ExperimentSpec spec)
    {
        var problems = new List<ExperimentSpecLoader.Problem>();
        if (spec.Training.Dataset is { } training)
            CheckDataset(training, spec.Training.Split, "training.dataset", "training.split", problems);
        if (spec.Training.TriplesFile is { } triples && !File.Exists(triples))
            problems.Add(new("training.triples_file", $"no such file: {Path.GetFullPath(triples)}"));
        // A misspelled base model fails here with the closest known names, never as a Hub request after the negatives are made.
        if (Training.BaseModelNames.Problem(spec.Model.Base) is { } model) problems.Add(new("model.base", model));
        for (int i = 0; i < spec.Evaluation.Datasets.Count; i++)
            CheckDataset(spec.Evaluation.Datasets[i], spec.Evaluation.Split, $"evaluation.datasets[{i}]", "evaluation.split", problems);
        return problems;
    }

    /// <summary>Throws one <see cref="DataFormatException"/> listing every problem with its line in <paramref name="specPath"/>.</summary>
    public static void ThrowIfAny(ExperimentSpec spec, string specPath)
    {
        var problems = Problems(spec);
        if (problems.Count == 0) return;
        var path = ExperimentSpecLoader.ResolvePath(specPath);
        throw ExperimentSpecLoader.ErrorOf(problems, File.Exists(path) ? File.ReadAllText(path) : "{}", path);
    }

    static void CheckDataset(string name, string split, string datasetPath, string splitPath, List<ExperimentSpecLoader.Problem> problems)
    {
        BeirDataset dataset;
        try
        {
            dataset = DatasetLocator.Open(name);
        }
        catch (DirectoryNotFoundException e)
        {
            problems.Add(new(datasetPath, e.Message));
            return;
        }
        if (!dataset.Splits.Contains(split, StringComparer.Ordinal))
            problems.Add(new(splitPath, $"{name} has no split '{split}' (has: {string.Join(", ", dataset.Splits)})"));
    }
}
