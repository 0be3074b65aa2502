using HardNegatives.Interactive.Formatting;
using HardNegatives.Training;

namespace HardNegatives.Interactive.Facade;

/// <summary>A trained bi-encoder: the trainer's result, its loss curve, and the model folder (Hugging Face layout).</summary>
public sealed record TrainedRetriever(string BaseModel, string TriplesPath, TrainingResult Result, TrainingCurve Curve)
{
    public string ModelFolder => Result.OutputDirectory;

    public string ToHtml() =>
        Html.Wrap(Html.Table($"trained {BaseModel} on {Path.GetFileName(TriplesPath)}", ["steps", "epochs", "rows", "skipped rows", "final loss"],
            [[Result.Steps, Result.Epochs, Result.Rows, Result.SkippedRows, Math.Round(Result.FinalLoss, 4)]]) + TrainingCurveHtml.Render(Curve));

    public override string ToString() =>
        $"trained {BaseModel} on {Path.GetFileName(TriplesPath)}: {Result.Steps} steps, {Result.Rows} rows, final loss {Result.FinalLoss:0.####} → {Path.GetFileName(ModelFolder)}";
}
