using HardNegatives.Training;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public class EmbeddingInferenceTests
{
    [Fact]
    public void EncodeAllKeepsInputOrderTurnsDropoutOffAndRestoresTheMode()
    {
        using var model = new TinyBagEncoder(dropoutRate: 0.5);
        model.train();
        var texts = new[] { "a", "much longer text with many words", "mid sized text", "b c", "another one" };
        var progress = new List<EncodingProgress>();
        using var all = EmbeddingInference.EncodeAll(model, texts, batchSize: 2, new SyncProgress<EncodingProgress>(progress.Add));
        Assert.True(model.training);
        Assert.Equal([5L, 8L], all.shape);
        Assert.False(all.requires_grad);
        model.eval();
        for (int i = 0; i < texts.Length; i++)
        {
            using var one = model.Encode([texts[i]]);
            Assert.Equal(one.data<float>().ToArray(), all[i].data<float>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
        }
        Assert.Equal([2, 4, 5], progress.Select(p => p.Done));
    }
}
