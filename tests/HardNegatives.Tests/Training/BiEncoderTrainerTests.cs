using HardNegatives.Negatives;
using HardNegatives.Training;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public sealed class BiEncoderTrainerTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "hn-biencoder-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    [Fact]
    public void PresetsParseWithDistilBertProportionsAndExplicitKeysWin()
    {
        var tiny = BiEncoderModels.PresetConfig("tiny", 30522);
        Assert.Equal((2, 128, 2, 512, 30522), (tiny.NLayers, tiny.Dim, tiny.NHeads, tiny.HiddenDim, tiny.VocabSize));
        var c = BiEncoderModels.PresetConfig("tiny:dim=256,layers=4", 100);
        Assert.Equal((4, 256, 4, 1024), (c.NLayers, c.Dim, c.NHeads, c.HiddenDim));
        var h = BiEncoderModels.PresetConfig("small:heads=8,dim=256,hidden=300,dropout=0", 100);
        Assert.Equal((256, 8, 300, 0.0), (h.Dim, h.NHeads, h.HiddenDim, h.Dropout));
        Assert.Contains("unknown model preset key", Assert.Throws<ArgumentException>(() => BiEncoderModels.PresetConfig("tiny:width=3", 100)).Message);
        Assert.Contains("presets", Assert.Throws<ArgumentException>(() => BiEncoderModels.PresetConfig("huge", 100)).Message);
        Assert.Throws<DirectoryNotFoundException>(() => BiEncoderModels.CreateOrLoad("no-such-model-folder", 32, CPU, 1));
    }

    [Fact]
    public async Task TrainsADistilBertFromATriplesFileIntoALoadableFolderAndSkipsARepeatedRun()
    {
        var triplesPath = Path.Combine(_dir, "triples.jsonl");
        await TriplesFile.WriteAsync(triplesPath, TrainingData.Triples(16));
        var options = new BiEncoderTrainingOptions("tiny:layers=1,dim=32,heads=2,hidden=64", MaxLength: 16, Device: "cpu",
            Training: new TrainingOptions(BatchSize: 4, MaxSteps: 6, LearningRate: 1e-3, CheckpointEvery: 2));
        var modelDir = Path.Combine(_dir, "model");
        var first = await BiEncoderTrainer.TrainAsync(options, triplesPath, modelDir);
        Assert.Equal(6, first.Steps);
        Assert.Equal(2, first.Epochs);   // 4 steps per epoch: max-steps 6 runs into the second epoch

        using var loaded = BiEncoderModels.Load(modelDir, CPU);
        using var e = loaded.Encoder.EncodeToTensor(["what about protein folding", "tumor growth results"]);
        Assert.Equal([2L, 32L], e.shape);

        var again = await BiEncoderTrainer.TrainAsync(options, triplesPath, modelDir);
        Assert.Equal(first, again);   // the stored result (same elapsed time to the tick), not a new run
    }

    [Fact]
    public void TrainingADistilBertLeavesTheLiveTensorCountFlat()
    {
        var counts = new List<long>();
        using var model = BiEncoderModels.CreateOrLoad("tiny:layers=1,dim=32,heads=2,hidden=64", 16, CPU, seed: 3);
        ContrastiveTrainer.Train(model, TrainingData.Triples(40, negatives: 2),
            new TrainingOptions(BatchSize: 4, HardNegatives: 2, CheckpointEvery: 3, Loss: LossKind.CachedMnrl, MiniBatchSize: 3),
            Path.Combine(_dir, "leak"), new SyncProgress<TrainingProgress>(_ => counts.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount)));
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Skip(1), c => Assert.Equal(counts[1], c));
    }
}
