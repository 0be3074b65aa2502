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
    readonly List<(string Left, string Right)> _merges;
    readonly Dictionary<(string, string), int> _mergeRanks = [];
    readonly List<string> _splitPatterns;
    readonly List<Regex> _splits;
    readonly List<AddedToken> _added;
    readonly Dictionary<int, AddedToken> _addedById;
    readonly Regex? _addedPattern;
    readonly Dictionary<string, AddedToken> _addedByContent;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> _cache = new(); // Encode may run on several threads

    ByteLevelBpeTokenizer(Dictionary<string, int> vocab, List<(string, string)> merges, bool ignoreMerges, bool nfc,
        bool addPrefixSpace, List<string> splitPatterns, List<AddedToken> added, int? prependedSpecialToken)
    {
        _vocab = vocab;
        _merges = merges;
        for (var i = 0; i < merges.Count; i++) _mergeRanks.TryAdd(merges[i], i);
        IgnoreMerges = ignoreMerges;
        NormalizesToNfc = nfc;
        AddsPrefixSpace = addPrefixSpace;
        _splitPatterns = splitPatterns;
        _splits = [.. splitPatterns.Select(p => new Regex(p, RegexOptions.CultureInvariant))];
        _added = added;
        PrependedSpecialToken = prependedSpecialToken;
        _addedById = added.ToDictionary(a => a.Id);
        _addedByContent = added.GroupBy(a => a.Content).ToDictionary(g => g.Key, g => g.First());
        var size = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, added.Count == 0 ? 0 : added.Max(a => a.Id) + 1);
        _idToToken = new string[size];
        foreach (var (t, id) in vocab) _idToToken[id] = t;
        foreach (var a in added) _idToToken[a.Id] = a.Content;
        if (added.Count > 0)
            _addedPattern = new Regex(string.Join("|", added.OrderByDescending(a => a.Content.Length).Select(a => Regex.Escape(a.Content))), RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// A tokenizer from its parts, as another format stores them (GGUF's <c>tokenizer.ggml.*</c>): <paramref name="vocab"/>
    /// holds the byte-level tokens, <paramref name="merges"/> is in rank order, <paramref name="splitPatterns"/> are applied
    /// in turn with <c>Isolated</c> behaviour.
    /// </summary>
    public static ByteLevelBpeTokenizer Create(IReadOnlyDictionary<string, int> vocab, IEnumerable<(string Left, string Right)> merges,
        IEnumerable<string> splitPatterns, IEnumerable<AddedToken> added, bool ignoreMerges = false, int? prependedSpecialToken = null) =>
        new(vocab.ToDictionary(), [.. merges], ignoreMerges, nfc: false, addPrefixSpace: false, [.. splitPatterns], [.. added], prependedSpecialToken);

    /// <summary>Number of ids (vocabulary plus added tokens).</summary>
    public int VocabSize => _idToToken.Length;

    public IReadOnlyList<AddedToken> AddedTokens => _added;

    /// <summary>The merge rules in rank order (first = applied first), as the tokenizer.json lists them.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    /// <summary>The pre-tokenizer's split regexes (.NET syntax), applied in turn; GPT-2's pattern for a <c>ByteLevel</c> with <c>use_regex</c>.</summary>
    public IReadOnlyList<string> SplitPatterns => _splitPatterns;

    /// <summary>The model's <c>ignore_merges</c>: a piece that is itself in the vocabulary is one token (Llama 3).</summary>
    public bool IgnoreMerges { get; }

    /// <summary>True when the normalizer applies NFC (Qwen2/3).</summary>
    public bool NormalizesToNfc { get; }

    /// <summary>The <c>ByteLevel</c> pre-tokenizer's <c>add_prefix_space</c>.</summary>
    public bool AddsPrefixSpace { get; }

    /// <summary>
    /// The special token the post-processor puts before a single sequence (Llama 3's <c>&lt;|begin_of_text|&gt;</c>), or null
    /// (Qwen: none). <see cref="Encode"/> never adds it; callers that want BOS add it themselves.
    /// </summary>
    public int? PrependedSpecialToken { get; }

    /// <summary>The id of a vocabulary or added token, or null.</summary>
    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out var added) ? added.Id : _vocab.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;

    /// <summary>True when <paramref name="id"/> is an entry of tokenizer.json's <c>added_tokens</c>.</summary>
    public bool IsAdded(int id, out AddedToken token) => _addedById.TryGetValue(id, out token!);

    /// <summary>Reads a <c>tokenizer.json</c>; unsupported model types, normalizers or pre-tokenizers are named errors.</summary>
    public static ByteLevelBpeTokenizer Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        var model = root["model"] as JsonObject ?? throw new InvalidDataException($"{path}: no \"model\"");
        var type = model["type"]?.GetValue<string>();
        if (type != "BPE") throw new InvalidDataException($"{path}: model type \"{type}\" is not supported; only byte-level BPE is.");
        var vocab = (model["vocab"] as JsonObject ?? throw new InvalidDataException($"{path}: model has no vocab"))
            .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>());
        var mergeList = new List<(string, string)>();
        var merges = model["merges"] as JsonArray ?? [];
        for (var i = 0; i < merges.Count; i++)
        {
            mergeList.Add(merges[i] switch
            {
                JsonArray a when a.Count == 2 => (a[0]!.GetValue<string>(), a[1]!.GetValue<string>()),
                JsonValue v when v.GetValue<string>().Split(' ') is [var l, var r] => (l, r),
                var other => throw new InvalidDataException($"{path}: merge {i} ({other?.ToJsonString()}) is neither \"a b\" nor [\"a\", \"b\"]"),
            });
        }
        var ignoreMerges = model["ignore_merges"]?.GetValue<bool>() ?? false;
        var nfc = ParseNormalizer(path, root["normalizer"]);
        var splits = new List<string>();
        var addPrefixSpace = false;
        ParsePreTokenizer(path, root["pre_tokenizer"], splits, ref addPrefixSpace);
        var added = (root["added_tokens"] as JsonArray ?? []).Select(a => new AddedToken(
            a!["id"]!.GetValue<int>(), a["content"]!.GetValue<string>(), a["special"]?.GetValue<bool>() ?? false,
            a["lstrip"]?.GetValue<bool>() ?? false, a["rstrip"]?.GetValue<bool>() ?? false)).ToList();
        return new ByteLevelBpeTokenizer(vocab, mergeList, ignoreMerges, nfc, addPrefixSpace, splits, added, TemplatePrefix(root["post_processor"]));
    }

    // TemplateProcessing (alone or in a Sequence) whose single-sequence template starts with a special token: its first id.
    static int? TemplatePrefix(JsonNode? n)
    {
        switch (n?["type"]?.GetValue<string>())
        {
            case "Sequence":
                return (n["processors"] as JsonArray ?? []).Select(TemplatePrefix).FirstOrDefault(id => id is not null);
            case "TemplateProcessing":
                var first = (n["single"] as JsonArray)?.FirstOrDefault()?["SpecialToken"]?["id"]?.GetValue<string>();
                return first is null ? null : (n["special_tokens"]?[first]?["ids"] as JsonArray)?.FirstOrDefault()?.GetValue<int>();
            default:
                return null;
        }
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

    static void ParsePreTokenizer(string path, JsonNode? n, List<string> splits, ref bool addPrefixSpace)
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
                if (n["use_regex"]?.GetValue<bool>() ?? true) splits.Add(Gpt2Pattern);
                break;
            case "Split":
                var behavior = n["behavior"]?.GetValue<string>();
                var invert = n["invert"]?.GetValue<bool>() ?? false;
                if (behavior != "Isolated" || invert)
                    throw new InvalidDataException($"{path}: Split pre-tokenizer with behavior {behavior}, invert {invert} is not supported (Isolated, not inverted).");
                var pattern = n["pattern"]?["Regex"]?.GetValue<string>() ?? Regex.Escape(n["pattern"]?["String"]?.GetValue<string>() ?? "");
                splits.Add(pattern);
                break;
            case "Digits" when n["individual_digits"]?.GetValue<bool>() == true:
                splits.Add(@"\p{N}");
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
        if (NormalizesToNfc) text = text.Normalize(NormalizationForm.FormC);
        if (AddsPrefixSpace && !text.StartsWith(' ')) text = " " + text;
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
        if (IgnoreMerges && _vocab.TryGetValue(word, out var whole)) return [whole];
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
