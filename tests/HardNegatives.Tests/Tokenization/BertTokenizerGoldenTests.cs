using HardNegatives.Data;
using HardNegatives.Tokenization;

namespace HardNegatives.Tests.Tokenization;

/// <summary>
/// Golden ids from Hugging Face's bert-base-uncased tokenizer (llama.cpp's vocab test set, MIT, see TestData/golden/.../LICENSE):
/// inputs.txt holds each input followed by a line <c>__ggml_vocab_test__</c>; ids.txt one line of ids per input, no [CLS]/[SEP].
/// </summary>
public class BertTokenizerGoldenTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "golden", "wordpiece-bert-base-uncased");
    static readonly Lazy<BertTokenizer> Tokenizer = new(() => new BertTokenizer(KitPaths.BertBaseUncasedVocab));

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Inputs().Length; i++) data.Add(i);
        return data;
    }

    static string[] Inputs()
    {
        var text = File.ReadAllText(Path.Combine(Folder, "inputs.txt"));
        const string delimiter = "\n__ggml_vocab_test__\n";
        Assert.EndsWith(delimiter, text);
        return text[..^delimiter.Length].Split(delimiter);
    }

    static int[][] Expected() =>
        [.. File.ReadAllLines(Path.Combine(Folder, "ids.txt")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())];

    [Fact]
    public void TheGoldenSetHasOneIdLineForEachOfItsInputs()
    {
        Assert.Equal(46, Inputs().Length);
        Assert.Equal(Inputs().Length, Expected().Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IdsMatchHuggingFace(int index)
    {
        var input = Inputs()[index];
        var expected = Expected()[index];
        Assert.Equal(expected, Tokenizer.Value.TokenizeToIds(input));
        var encoded = Tokenizer.Value.Encode(input);
        Assert.Equal([101, .. expected, 102], encoded);
    }
}
