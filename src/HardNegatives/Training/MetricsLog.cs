using System.Text.Json;

namespace HardNegatives.Training;

/// <summary>
/// The training log: one JSON object per optimizer step in <c>train-log.jsonl</c>
/// (<c>step, epoch, loss, lr, grad_norm, step_seconds, examples_per_second</c>). On resume, lines past the checkpoint are
/// dropped so the file describes exactly the steps that led to the final weights.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    readonly StreamWriter _writer;

    public MetricsLog(string path, int keepUpToStep)
    {
        Path = path;
        var kept = File.Exists(path)
            ? File.ReadLines(path).Where(l => l.Length > 0 && StepOf(l) is int s && s <= keepUpToStep).ToList()
            : [];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append: false);
        foreach (var line in kept) _writer.WriteLine(line);
        _writer.Flush();
    }

    public string Path { get; }

    public void Write(TrainingProgress p)
    {
        _writer.WriteLine(JsonSerializer.Serialize(new
        {
            step = p.Step, epoch = p.Epoch, loss = p.Loss, lr = p.LearningRate, grad_norm = p.GradNorm,
            step_seconds = Math.Round(p.StepSeconds, 6), examples_per_second = Math.Round(p.ExamplesPerSecond, 3),
        }));
        _writer.Flush();
    }

    static int? StepOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("step", out var s) ? s.GetInt32() : null;
        }
        catch (JsonException) { return null; }   // a line cut short by a kill
    }

    public void Dispose() => _writer.Dispose();
}
