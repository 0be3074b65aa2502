using HardNegatives.Interactive.Facade;
using HardNegatives.Training;

namespace HardNegatives.Interactive.Magics;

/// <summary><c>#!hn-train --triples (a #!hn-mine or #!hn-generate variable|file) [--base tiny:layers=2,dim=128] [--max-steps N] [--name model]</c></summary>
/// <param name="MaxSteps">Stop after this many steps (0 = one full epoch).</param>
public sealed record TrainMagic(string Triples, string Base = "tiny:layers=2,dim=128", int MaxSteps = 0, string Name = "model")
{
    public static TrainMagic From(MagicArguments a) =>
        new(a.Required("triples", "a #!hn-mine variable or a triples file"), a.String("base") ?? "tiny:layers=2,dim=128", a.Int("max-steps") ?? 0, a.String("name") ?? "model");

    public async Task RunAsync(IMagicHost host)
    {
        var path = File.Exists(Triples) ? Triples
            : (await host.VariableAsync<INegativesFile>(Triples, "#!hn-train --triples", "negatives (#!hn-mine, #!hn-generate)")).TriplesPath;
        var training = new TrainingOptions(BatchSize: 16, LearningRate: 1e-3, HardNegatives: 1, Seed: 42, CheckpointEvery: 0, MaxSteps: MaxSteps);
        var trained = await Hn.Train(path, Base, training, cancellationToken: host.CancellationToken);
        await host.ShowAndKeepAsync(Name, trained);
    }
}
