// Builds a Llama-2-style tokenizer.json (SentencePiece BPE: Prepend/Replace "▁" normalizer, merges, byte fallback,
// ByteFallback/Fuse/Strip decoder) from a llama2.c tokenizer.bin, then runs Hugging Face tokenizers (through
// Tokenizers.DotNet) on every test input and writes the ids and decoded text the kit's loader must reproduce.
//   dotnet run --project tools/hf-tokenizer-goldens -- TOKENIZER.bin INPUTS.txt OUTPUT_DIR
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

if (args.Length != 3) { Console.Error.WriteLine("usage: HfTokenizerGoldens TOKENIZER.bin INPUTS.txt OUTPUT_DIR"); return 2; }
var (binPath, inputsPath, outDir) = (args[0], args[1], args[2]);
Directory.CreateDirectory(outDir);

// tokenizer.bin: int32 max_len, then (float32 score, int32 len, bytes) per token.
var bytes = File.ReadAllBytes(binPath);
var pieces = new List<string>();
var scores = new List<float>();
for (var o = 4; o < bytes.Length;)
{
    scores.Add(BitConverter.ToSingle(bytes, o));
    var n = BitConverter.ToInt32(bytes, o + 4);
    pieces.Add(Encoding.UTF8.GetString(bytes, o + 8, n));
    o += 8 + n;
}
pieces[0] = "<unk>"; pieces[1] = "<s>"; pieces[2] = "</s>";
bool IsByte(string p) => p.Length == 6 && p.StartsWith("<0x") && p.EndsWith('>');
for (var i = 3; i < pieces.Count; i++) if (!IsByte(pieces[i])) pieces[i] = pieces[i].Replace(' ', '\u2581');

var vocab = new JsonObject();
var ids = new Dictionary<string, int>();
for (var i = 0; i < pieces.Count; i++) { vocab[pieces[i]] = i; ids[pieces[i]] = i; }

// Merges as transformers' SentencePieceExtractor derives them: every split of a piece into two pieces of the vocabulary,
// ordered by the merged piece's score (highest first), then by the ids of the left and right parts.
var merges = new List<(string L, string R, float Score, int Lid, int Rid)>();
for (var i = 3; i < pieces.Count; i++)
{
    if (IsByte(pieces[i])) continue;
    var runes = pieces[i].EnumerateRunes().Select(r => r.ToString()).ToArray();
    for (var k = 1; k < runes.Length; k++)
    {
        var l = string.Concat(runes[..k]);
        var r = string.Concat(runes[k..]);
        if (ids.TryGetValue(l, out var lid) && ids.TryGetValue(r, out var rid) && !IsByte(l) && !IsByte(r) && lid > 2 && rid > 2)
            merges.Add((l, r, scores[i], lid, rid));
    }
}
var ordered = merges.OrderByDescending(m => m.Score).ThenBy(m => m.Lid).ThenBy(m => m.Rid).ToList();

JsonObject Added(int id, string content) => new()
{
    ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
};
var json = new JsonObject
{
    ["version"] = "1.0",
    ["truncation"] = null,
    ["padding"] = null,
    ["added_tokens"] = new JsonArray(Added(0, "<unk>"), Added(1, "<s>"), Added(2, "</s>")),
    ["normalizer"] = new JsonObject
    {
        ["type"] = "Sequence",
        ["normalizers"] = new JsonArray(
            new JsonObject { ["type"] = "Prepend", ["prepend"] = "\u2581" },
            new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "\u2581" }),
    },
    ["pre_tokenizer"] = null,
    ["post_processor"] = null,
    ["decoder"] = new JsonObject
    {
        ["type"] = "Sequence",
        ["decoders"] = new JsonArray(
            new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "\u2581" }, ["content"] = " " },
            new JsonObject { ["type"] = "ByteFallback" },
            new JsonObject { ["type"] = "Fuse" },
            new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }),
    },
    ["model"] = new JsonObject
    {
        ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = "<unk>", ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
        ["fuse_unk"] = true, ["byte_fallback"] = true, ["ignore_merges"] = false,
        ["vocab"] = vocab,
        ["merges"] = new JsonArray([.. ordered.Select(m => (JsonNode)new JsonArray(m.L, m.R))]),
    },
};
var tokenizerPath = Path.Combine(outDir, "tokenizer.json");
File.WriteAllText(tokenizerPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

using var hf = new Tokenizers.DotNet.Tokenizer(tokenizerPath);
const string delimiter = "\n__ggml_vocab_test__\n";
var text = File.ReadAllText(inputsPath);
var inputs = text[..^delimiter.Length].Split(delimiter);
var idLines = new List<string>();
var decoded = new List<string>();
foreach (var input in inputs)
{
    var encoded = hf.Encode(input);
    idLines.Add(string.Join(' ', encoded));
    decoded.Add(JsonSerializer.Serialize(hf.Decode(encoded), new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
}
File.WriteAllLines(Path.Combine(outDir, "ids.txt"), idLines);
File.WriteAllLines(Path.Combine(outDir, "decoded.jsonl"), decoded);
Console.WriteLine($"{inputs.Length} inputs, {ordered.Count} merges; Hugging Face tokenizers {hf.GetVersion()}");
return 0;
