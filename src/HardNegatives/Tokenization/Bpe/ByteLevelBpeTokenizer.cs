using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HardNegatives.Tokenization.Bpe;

/// <summary>
/// Byte-level BPE as Hugging Face <c>tokenizers</c> runs it from a <c>tokenizer.json</c> (GPT-2, Llama 3, Qwen2/3, Phi-4):
/// added tokens are matched first in the raw text; the rest is normalized (NFC where configured), split by the
/// pre-tokenizer's regex, mapped byte-wise to GPT-2's alphabet and merged by merge rank.
/// <see cref="Encode"/> adds no BOS/EOS: chat templates write special tokens as text, as <c>apply_chat_template</c> does.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    /// <summary>GPT-2's split pattern, used by a <c>ByteLevel</c> pre-tokenizer with <c>use_regex: true</c>.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    readonly Dictionary<string, int> _vocab;
    readonly string[] _idToToken;
    readonly Dictionary<(string, string), int> _mergeRanks;
    readonly bool _ignoreMerges;
    readonly bool _nfc;
    readonly bool _addPrefixSpace;
    readonly List<Regex> _splits;
    readonly List<AddedToken> _added;
    readonly Dictionary<int, AddedToken> _addedById;
    readonly Regex? _addedPattern;
    readonly Dictionary<string, AddedToken> _addedByContent;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> _cache = new(); // Encode may run on several threads

    ByteLevelBpeTokenizer(Dictionary<string, int> vocab, Dictionary<(string, string), int> mergeRanks, bool ignoreMerges, bool nfc,
        bool addPrefixSpace, List<Regex> splits, List<AddedToken> added)
    {
        _vocab = vocab;
        _mergeRanks = mergeRanks;
        _ignoreMerges = ignoreMerges;
        _nfc = nfc;
        _addPrefixSpace = addPrefixSpace;
        _splits = splits;
        _added = added;
        _addedById = added.ToDictionary(a => a.Id);
        _addedByContent = added.GroupBy(a => a.Content).ToDictionary(g => g.Key, g => g.First());
        var size = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, added.Count == 0 ? 0 : added.Max(a => a.Id) + 1);
        _idToToken = new string[size];
        foreach (var (t, id) in vocab) _idToToken[id] = t;
        foreach (var a in added) _idToToken[a.Id] = a.Content;
        if (added.Count > 0)
            _addedPattern = new Regex(string.Join("|", added.OrderByDescending(a => a.Content.Length).Select(a => Regex.Escape(a.Content))), RegexOptions.CultureInvariant);
    }

    /// <summary>Number of ids (vocabulary plus added tokens).</summary>
    public int VocabSize => _idToToken.Length;

    public IReadOnlyList<AddedToken> AddedTokens => _added;

    /// <summary>The id of a vocabulary or added token, or null.</summary>
    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out var added) ? added.Id : _vocab.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;

    /// <summary>Reads a <c>tokenizer.json</c>; unsupported model types, normalizers or pre-tokenizers are named errors.</summary>
    public static ByteLevelBpeTokenizer Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        var model = root["model"] as JsonObject ?? throw new InvalidDataException($"{path}: no \"model\"");
        var type = model["type"]?.GetValue<string>();
        if (type != "BPE") throw new InvalidDataException($"{path}: model type \"{type}\" is not supported; only byte-level BPE is.");
        var vocab = (model["vocab"] as JsonObject ?? throw new InvalidDataException($"{path}: model has no vocab"))
            .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>());
        var ranks = new Dictionary<(string, string), int>();
        var merges = model["merges"] as JsonArray ?? [];
        for (var i = 0; i < merges.Count; i++)
        {
            (string, string) pair = merges[i] switch
            {
                JsonArray a when a.Count == 2 => (a[0]!.GetValue<string>(), a[1]!.GetValue<string>()),
                JsonValue v when v.GetValue<string>().Split(' ') is [var l, var r] => (l, r),
                var other => throw new InvalidDataException($"{path}: merge {i} ({other?.ToJsonString()}) is neither \"a b\" nor [\"a\", \"b\"]"),
            };
            ranks.TryAdd(pair, i);
        }
        var ignoreMerges = model["ignore_merges"]?.GetValue<bool>() ?? false;
        var nfc = ParseNormalizer(path, root["normalizer"]);
        var splits = new List<Regex>();
        var addPrefixSpace = false;
        ParsePreTokenizer(path, root["pre_tokenizer"], splits, ref addPrefixSpace);
        var added = (root["added_tokens"] as JsonArray ?? []).Select(a => new AddedToken(
            a!["id"]!.GetValue<int>(), a["content"]!.GetValue<string>(), a["special"]?.GetValue<bool>() ?? false,
            a["lstrip"]?.GetValue<bool>() ?? false, a["rstrip"]?.GetValue<bool>() ?? false)).ToList();
        return new ByteLevelBpeTokenizer(vocab, ranks, ignoreMerges, nfc, addPrefixSpace, splits, added);
    }

    static bool ParseNormalizer(string path, JsonNode? n)
    {
        if (n is null) return false;
        var type = n["type"]?.GetValue<string>();
        return type switch
        {
            "NFC" => true,
            "Sequence" => (n["normalizers"] as JsonArray ?? []).Select(x => ParseNormalizer(path, x)).Aggregate(false, (a, b) => a | b),
            _ => throw new InvalidDataException($"{path}: normalizer \"{type}\" is not supported (supported: none, NFC)."),
        };
    }

    static void ParsePreTokenizer(string path, JsonNode? n, List<Regex> splits, ref bool addPrefixSpace)
    {
        if (n is null) return;
        var type = n["type"]?.GetValue<string>();
        switch (type)
        {
            case "Sequence":
                foreach (var p in n["pretokenizers"] as JsonArray ?? []) ParsePreTokenizer(path, p, splits, ref addPrefixSpace);
                break;
            case "ByteLevel":
                addPrefixSpace |= n["add_prefix_space"]?.GetValue<bool>() ?? false;
                if (n["use_regex"]?.GetValue<bool>() ?? true) splits.Add(new Regex(Gpt2Pattern, RegexOptions.CultureInvariant));
                break;
            case "Split":
                var behavior = n["behavior"]?.GetValue<string>();
                var invert = n["invert"]?.GetValue<bool>() ?? false;
                if (behavior != "Isolated" || invert)
                    throw new InvalidDataException($"{path}: Split pre-tokenizer with behavior {behavior}, invert {invert} is not supported (Isolated, not inverted).");
                var pattern = n["pattern"]?["Regex"]?.GetValue<string>() ?? Regex.Escape(n["pattern"]?["String"]?.GetValue<string>() ?? "");
                splits.Add(new Regex(pattern, RegexOptions.CultureInvariant));
                break;
            case "Digits" when n["individual_digits"]?.GetValue<bool>() == true:
                splits.Add(new Regex(@"\p{N}", RegexOptions.CultureInvariant));
                break;
            default:
                throw new InvalidDataException($"{path}: pre-tokenizer \"{type}\" is not supported (supported: ByteLevel, Split, Digits, Sequence).");
        }
    }

    /// <summary>Token ids of <paramref name="text"/>; added tokens in the text are recognized when <paramref name="parseSpecial"/>.</summary>
    public IReadOnlyList<int> Encode(string text, bool parseSpecial = true)
    {
        var ids = new List<int>();
        if (!parseSpecial || _addedPattern is null) { EncodeOrdinary(text, ids); return ids; }
        var pos = 0;
        foreach (Match m in _addedPattern.Matches(text))
        {
            var token = _addedByContent[m.Value];
            var before = text[pos..m.Index];
            if (token.LStrip) before = before.TrimEnd();
            EncodeOrdinary(before, ids);
            ids.Add(token.Id);
            pos = m.Index + m.Length;
            if (token.RStrip) while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        }
        EncodeOrdinary(text[pos..], ids);
        return ids;
    }

    void EncodeOrdinary(string text, List<int> ids)
    {
        if (text.Length == 0) return;
        if (_nfc) text = text.Normalize(NormalizationForm.FormC);
        if (_addPrefixSpace && !text.StartsWith(' ')) text = " " + text;
        IEnumerable<string> pieces = [text];
        foreach (var split in _splits) pieces = pieces.SelectMany(p => SplitIsolated(split, p));
        foreach (var piece in pieces)
        {
            if (!_cache.TryGetValue(piece, out var pieceIds))
            {
                pieceIds = Bpe(ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(piece)));
                if (_cache.Count < 100_000) _cache.TryAdd(piece, pieceIds);
            }
            ids.AddRange(pieceIds);
        }
    }

    // Split behaviour "Isolated": every match is a piece, and so is every stretch between matches.
    static IEnumerable<string> SplitIsolated(Regex regex, string text)
    {
        var pos = 0;
        foreach (Match m in regex.Matches(text))
        {
            if (m.Length == 0) continue;
            if (m.Index > pos) yield return text[pos..m.Index];
            yield return m.Value;
            pos = m.Index + m.Length;
        }
        if (pos < text.Length) yield return text[pos..];
    }

    int[] Bpe(string word)
    {
        if (_ignoreMerges && _vocab.TryGetValue(word, out var whole)) return [whole];
        var symbols = word.Select(c => c.ToString()).ToList();
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            (string, string) best = default;
            for (var i = 0; i < symbols.Count - 1; i++)
                if (_mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < bestRank) { bestRank = r; best = (symbols[i], symbols[i + 1]); }
            if (bestRank == int.MaxValue) break;
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == best.Item1 && symbols[i + 1] == best.Item2) { merged.Add(best.Item1 + best.Item2); i++; }
                else merged.Add(symbols[i]);
            }
            symbols = merged;
        }
        return symbols.Select(s => _vocab.TryGetValue(s, out var id) ? id
            : throw new InvalidDataException($"byte-level BPE produced \"{s}\", which is not in the vocabulary (incomplete tokenizer.json?)")).ToArray();
    }

    /// <summary>Text of <paramref name="ids"/>: byte-level tokens back to UTF-8 (invalid sequences become U+FFFD), added tokens verbatim.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        void Flush() { if (bytes.Count > 0) { text.Append(Encoding.UTF8.GetString(bytes.ToArray())); bytes.Clear(); } }
        foreach (var id in ids)
        {
            if (_addedById.TryGetValue(id, out var added) && !_vocab.ContainsKey(added.Content))
            {
                Flush();
                if (!(skipSpecialTokens && added.Special)) text.Append(added.Content);
                continue;
            }
            var token = IdToToken(id) ?? throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the vocabulary ({VocabSize})");
            if (!ByteLevelAlphabet.TryDecode(token, bytes)) { Flush(); text.Append(token); }
        }
        Flush();
        return text.ToString();
    }

    IReadOnlyList<int> ITextTokenizer.Encode(string text) => Encode(text);

    /// <summary>Streams <see cref="Decode"/> (special tokens skipped); <paramref name="previous"/> is not needed for byte-level BPE.</summary>
    public ITokenTextStream NewTextStream(int previous = -1) => new PrefixDecodingTextStream(ids => Decode(ids, skipSpecialTokens: true));
}
