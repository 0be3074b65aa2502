using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// A resumable snapshot of a run after an optimizer step, one folder <c>checkpoints/step-NNNNNNNN/</c> holding
/// <c>model.bin</c> (TorchSharp module state), <c>optimizer.bin</c> (AdamW moments and step counts), <c>rng.bin</c>
/// (the CPU generator state, so dropout continues identically) and <c>state.json</c> (where in the data the run stands).
/// </summary>
/// <remarks>
/// The folder is written under a temporary name and renamed into place, so a kill during the write leaves the previous
/// checkpoint as the newest complete one. The learning-rate schedule and the batch order are pure functions of the step
/// and of (seed, epoch), so <c>state.json</c> needs only the step and position.
/// </remarks>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Epoch">Epoch of the next batch.</param>
/// <param name="BatchInEpoch">Index of the next batch within <paramref name="Epoch"/>.</param>
/// <param name="Fingerprint">The options and data that must not change across a resume.</param>
public sealed record TrainingCheckpoint(int Step, int Epoch, int BatchInEpoch, string Fingerprint)
{
    const string Prefix = "step-";

    public static string FolderOf(string checkpointsDir, int step) => Path.Combine(checkpointsDir, $"{Prefix}{step:D8}");

    /// <summary>Writes model, optimizer, generator state and position atomically, then deletes older checkpoints.</summary>
    public void Save(string checkpointsDir, nn.Module module, OptimizerHelper optimizer)
    {
        Directory.CreateDirectory(checkpointsDir);
        var final = FolderOf(checkpointsDir, Step);
        var tmp = Path.Combine(checkpointsDir, $".tmp-{Step:D8}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            module.save(Path.Combine(tmp, "model.bin"));
            optimizer.save_state_dict(Path.Combine(tmp, "optimizer.bin"));
            using (var rng = get_rng_state()) File.WriteAllBytes(Path.Combine(tmp, "rng.bin"), rng.data<byte>().ToArray());
            File.WriteAllText(Path.Combine(tmp, "state.json"), JsonSerializer.Serialize(this));
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(tmp, final);
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
        foreach (var older in Complete(checkpointsDir).Where(c => c.Step < Step)) Directory.Delete(FolderOf(checkpointsDir, older.Step), recursive: true);
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public static TrainingCheckpoint? Latest(string checkpointsDir) => Complete(checkpointsDir).MaxBy(c => c.Step);

    /// <summary>Loads model, optimizer and generator state of this checkpoint into live objects.</summary>
    public void Restore(string checkpointsDir, nn.Module module, OptimizerHelper optimizer)
    {
        var dir = FolderOf(checkpointsDir, Step);
        module.load(Path.Combine(dir, "model.bin"));
        optimizer.load_state_dict(Path.Combine(dir, "optimizer.bin"));
        using var rng = tensor(File.ReadAllBytes(Path.Combine(dir, "rng.bin")), dtype: ScalarType.Byte);
        set_rng_state(rng);
    }

    static IEnumerable<TrainingCheckpoint> Complete(string checkpointsDir)
    {
        if (!Directory.Exists(checkpointsDir)) yield break;
        foreach (var dir in Directory.GetDirectories(checkpointsDir, Prefix + "*"))
        {
            var state = Path.Combine(dir, "state.json");
            if (!File.Exists(state)) continue;
            TrainingCheckpoint? c = null;
            try { c = JsonSerializer.Deserialize<TrainingCheckpoint>(File.ReadAllText(state)); }
            catch (JsonException) { }
            if (c is not null) yield return c;
        }
    }
}
