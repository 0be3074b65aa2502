using HardNegatives.Models;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models;

/// <summary>
/// A seeded model must not depend on the global RNG: TorchSharp's nn.init.normal_ ignores its generator argument, which
/// made seeded initialisation (and so training) differ between processes.
/// </summary>
[Collection(HardNegatives.Tests.Training.TorchGlobalStateCollection.Name)]   // sets the global seed
public class WeightInitSeedTests
{
    static DistilBertConfig Config => new(VocabSize: 50, Dim: 16, NLayers: 1, NHeads: 2, HiddenDim: 32, MaxPositionEmbeddings: 16);

    static float[] Weights(long globalSeed, long modelSeed)
    {
        manual_seed(globalSeed);
        using var model = new DistilBertModel(Config, modelSeed);
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
    }

    [Fact]
    public void SeededInitialisation_IgnoresTheGlobalRng_AndDependsOnTheSeed()
    {
        var a = Weights(globalSeed: 1, modelSeed: 5);
        Assert.Equal(a, Weights(globalSeed: 2, modelSeed: 5));
        Assert.NotEqual(a, Weights(globalSeed: 1, modelSeed: 6));
    }
}
