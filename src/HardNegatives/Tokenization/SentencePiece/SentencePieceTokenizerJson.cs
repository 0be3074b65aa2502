using System.Text;
using System.Text.Json.Nodes;

namespace HardNegatives.Tokenization.SentencePiece;

/// <summary>
/// Loads a Hugging Face <c>tokenizer.json</c> of the SentencePiece-BPE kind (Llama 2, Mistral, Phi-3, TinyLlama): a BPE
/// model with <c>▁</c> for spaces, byte fallback <c>&lt;0xNN&gt;</c>, a <c>Prepend("▁")</c>/<c>Replace(" ", "▁")</c>
/// normalizer (or a Metaspace pre-tokenizer), merges ranked by their order, and the
/// <c>Replace/ByteFallback/Fuse/Strip</c> decoder. Byte-level BPE files (GPT-2, Llama 3, Qwen) are
/// <see cref="Bpe.ByteLevelBpeTokenizer"/>'s.
/// </summary>
public static class SentencePieceTokenizerJson
{
    /// <summary>True when <paramref name="root"/> describes SentencePiece-style BPE rather than byte-level BPE.</summary>
    public static bool IsSentencePiece(JsonNode root) =>
        root["model"]?["type"]?.GetValue<string>() == "BPE"
        && !root.ToJsonString().Contains("\"ByteLevel\"", StringComparison.Ordinal)
        && (root["model"]?["byte_fallback"]?.GetValue<bool>() == true || root["model"]?["vocab"]?["\u2581"] is not null);

    public static SentencePieceBpeTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer not found: {path}", path);
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty JSON");
        if (!IsSentencePiece(root)) throw new InvalidDataException($"{path}: not a SentencePiece-style BPE tokenizer.json (model.type BPE with ▁ pieces or byte fallback, no ByteLevel steps)");
        var model = root["model"]!;
        var vocab = model["vocab"] as JsonObject ?? throw new InvalidDataException($"{path}: model.vocab is missing");
        var added = (root["added_tokens"] as JsonArray ?? []).Select(a => (Content: a!["content"]!.GetValue<string>(), Id: a["id"]!.GetValue<int>(), Special: a["special"]?.GetValue<bool>() ?? false)).ToList();
        var size = Math.Max(vocab.Select(kv => kv.Value!.GetValue<int>()).DefaultIfEmpty(-1).Max(), added.Select(a => a.Id).DefaultIfEmpty(-1).Max()) + 1;
        var pieces = new byte[size][];
        foreach (var (piece, id) in vocab) pieces[id!.GetValue<int>()] = Encoding.UTF8.GetBytes(piece);
        foreach (var a in added) pieces[a.Id] ??= Encoding.UTF8.GetBytes(a.Content);
        for (var i = 0; i < size; i++) pieces[i] ??= [];
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (piece, id) in vocab) ids[piece] = id!.GetValue<int>();

        var merges = new Dictionary<(int, int), (int, int)>();
        var list = model["merges"] as JsonArray ?? [];
        for (var rank = 0; rank < list.Count; rank++)
        {
            var (l, r) = list[rank] switch
            {
                JsonArray pair => (pair[0]!.GetValue<string>(), pair[1]!.GetValue<string>()),
                JsonValue v when v.GetValue<string>().Split(' ') is [var a, var b] => (a, b),
                var other => throw new InvalidDataException($"{path}: merge {rank} ({other?.ToJsonString()}) is neither \"a b\" nor [\"a\", \"b\"]"),
            };
            if (ids.TryGetValue(l, out var lid) && ids.TryGetValue(r, out var rid) && ids.TryGetValue(l + r, out var merged))
                merges.TryAdd((lid, rid), (rank, merged));
        }

        var json = root.ToJsonString();
        var dummyPrefix = json.Contains("\"Prepend\"", StringComparison.Ordinal)
            || (json.Contains("\"Metaspace\"", StringComparison.Ordinal) && !json.Contains("\"prepend_scheme\":\"never\"", StringComparison.Ordinal)
                && !json.Contains("\"add_prefix_space\":false", StringComparison.Ordinal));
        int Id(string token, int fallback) => added.FirstOrDefault(a => a.Content == token) is { Content: not null } a ? a.Id : ids.GetValueOrDefault(token, fallback);
        var unk = model["unk_token"]?.GetValue<string>() is { } u ? Id(u, 0) : 0;
        var options = new SentencePieceOptions(Bos: Id("<s>", 1), Eos: Id("</s>", 2), Unk: unk, AddDummyPrefix: dummyPrefix, SpaceSymbol: "\u2581", HuggingFaceDecoding: true);
        return new SentencePieceBpeTokenizer(pieces, new float[size], options, merges, added);
    }
}
