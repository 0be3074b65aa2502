using System.Text.Json.Nodes;
using HardNegatives.Data;
using HardNegatives.Models;
using HardNegatives.Tokenization;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Models;

public class EncoderPromptsTests
{
    static readonly DistilBertConfig Tiny = new(VocabSize: 30522, Dim: 16, NLayers: 1, NHeads: 2, HiddenDim: 32, MaxPositionEmbeddings: 64);

    [Fact]
    public void PromptsAreSavedAsSentenceTransformersPrompts_LoadedBack_AndPutBeforeTexts()
    {
        var dir = Directory.CreateTempSubdirectory("hn-prompts-").FullName;
        try
        {
            var tokenizer = new BertTokenizer(KitPaths.BertBaseUncasedVocab);
            using var encoder = new SentenceEncoder(new DistilBertModel(Tiny, seed: 3), tokenizer, maxSeqLength: 32, prompts: new EncoderPrompts("query: ", "passage: "));
            encoder.Save(dir);
            var prompts = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config_sentence_transformers.json")))!["prompts"]!;
            Assert.Equal("query: ", prompts["query"]!.GetValue<string>());
            Assert.Equal("passage: ", prompts["document"]!.GetValue<string>());

            using var loaded = SentenceEncoder.Load(dir, CPU);
            Assert.Equal(new EncoderPrompts("query: ", "passage: "), loaded.Prompts);
            string[] texts = ["protein folding", "a"];
            using var q = loaded.EncodeQueries(texts);
            using var qExpected = loaded.EncodeToTensor(["query: protein folding", "query: a"]);
            using var d = loaded.EncodeDocuments(texts);
            using var dExpected = loaded.EncodeToTensor(["passage: protein folding", "passage: a"]);
            Assert.True(q.allclose(qExpected) && d.allclose(dExpected));
            using var plain = loaded.EncodeToTensor(texts);
            Assert.False(q.allclose(plain));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void NoPrompts_LeaveTextsAsTheyAre()
    {
        IReadOnlyList<string> texts = ["x", "y"];
        Assert.Same(texts, EncoderPrompts.None.ApplyToQueries(texts));
        Assert.Same(texts, new EncoderPrompts("", null).ApplyToDocuments(texts));
    }
}
