using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace HardNegatives.Tokenization;

/// <summary>
/// Hugging Face's BERT WordPiece tokenizer, reimplemented to give the same ids as <c>BertTokenizerFast</c>:
/// <see cref="BertNormalizer"/> (clean, CJK, accents, lowercase, punctuation split), then greedy longest-match WordPiece with
/// <c>##</c> continuations (a word with an unmatchable rest, or longer than 100 code points, becomes one <c>[UNK]</c>).
/// Single texts encode as <c>[CLS] a [SEP]</c>, pairs as <c>[CLS] a [SEP] b [SEP]</c> (type ids 0…0 1…1), truncated to a
/// maximum length (<c>longest_first</c> for pairs, with the <c>tokenizers</c> crate's arithmetic) and padded per batch.
/// Thread-safe.
/// </summary>
public sealed class BertTokenizer
{
    readonly BertNormalizer _normalizer;
    readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);
    const int WordCacheLimit = 1 << 20;

    /// <summary>Loads <c>vocab.txt</c> or <c>tokenizer.json</c> from <paramref name="vocabPath"/>.</summary>
    public BertTokenizer(string vocabPath, BertTokenizerOptions? options = null)
        : this(WordPieceVocabulary.Load(vocabPath), options) { }

    public BertTokenizer(WordPieceVocabulary vocabulary, BertTokenizerOptions? options = null)
    {
        Vocabulary = vocabulary;
        Options = options ?? new BertTokenizerOptions();
        _normalizer = new BertNormalizer(Options.Lowercase, Options.StripAccents ?? Options.Lowercase, Options.TokenizeChineseChars);
        UnkId = Required(Options.UnkToken);
        ClsId = Required(Options.ClsToken);
        SepId = Required(Options.SepToken);
        PadId = Required(Options.PadToken);
        _specials = [.. new[] { Options.ClsToken, Options.SepToken, Options.PadToken, Options.UnkToken, Options.MaskToken }
            .Distinct().Where(t => Vocabulary.Contains(t)).Select(t => (t, Vocabulary.IdOf(t)))];
    }

    readonly (string Token, int Id)[] _specials;

    int Required(string token) => Vocabulary.IdOf(token) is var id and >= 0 ? id
        : throw new ArgumentException($"the vocabulary has no {token} token; is it a BERT WordPiece vocabulary?");

    public WordPieceVocabulary Vocabulary { get; }
    public BertTokenizerOptions Options { get; }
    public int UnkId { get; }
    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }

    /// <summary>
    /// Loads the tokenizer of a Hugging Face model folder: <c>vocab.txt</c> (else <c>tokenizer.json</c>'s vocab) and
    /// <c>do_lower_case</c>/<c>strip_accents</c>/<c>tokenize_chinese_chars</c> from <c>tokenizer_config.json</c> when present.
    /// </summary>
    public static BertTokenizer FromFolder(string folder)
    {
        var vocab = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(vocab)) vocab = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(vocab)) throw new FileNotFoundException($"{folder} has neither vocab.txt nor tokenizer.json", vocab);
        var options = new BertTokenizerOptions();
        var config = Path.Combine(folder, "tokenizer_config.json");
        if (File.Exists(config))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(config));
            var root = doc.RootElement;
            if (root.TryGetProperty("do_lower_case", out var lower) && lower.ValueKind is JsonValueKind.True or JsonValueKind.False)
                options = options with { Lowercase = lower.GetBoolean() };
            if (root.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False)
                options = options with { StripAccents = strip.GetBoolean() };
            if (root.TryGetProperty("tokenize_chinese_chars", out var cjk) && cjk.ValueKind is JsonValueKind.True or JsonValueKind.False)
                options = options with { TokenizeChineseChars = cjk.GetBoolean() };
        }
        return new BertTokenizer(vocab, options);
    }

    /// <summary>WordPiece tokens of <paramref name="text"/>, without special tokens.</summary>
    public IReadOnlyList<string> Tokenize(string text) => [.. TokenizeToIds(text).Select(Vocabulary.TokenOf)];

    /// <summary>WordPiece ids of <paramref name="text"/>, without special tokens.</summary>
    public int[] TokenizeToIds(string text)
    {
        var ids = new List<int>();
        // Special tokens written in the text ("[SEP]", exact case) are single ids, matched before normalisation, as
        // Hugging Face's added-token handling does; everything between them is normalised and split as usual.
        int start = 0;
        for (int i = text.IndexOf('['); i >= 0 && i < text.Length; i = text.IndexOf('[', i + 1))
        {
            foreach (var (token, id) in _specials)
            {
                if (string.CompareOrdinal(text, i, token, 0, token.Length) != 0) continue;
                AddWords(text[start..i], ids);
                ids.Add(id);
                start = i + token.Length;
                i = start - 1;
                break;
            }
        }
        AddWords(text[start..], ids);
        return [.. ids];
    }

    void AddWords(string segment, List<int> ids)
    {
        if (segment.Length == 0) return;
        foreach (var word in _normalizer.Split(segment)) ids.AddRange(WordIds(word));
    }

    int[] WordIds(string word)
    {
        if (_wordCache.TryGetValue(word, out var cached)) return cached;
        var ids = WordPiece(word);
        if (_wordCache.Count < WordCacheLimit) _wordCache.TryAdd(word, ids);
        return ids;
    }

    // Greedy longest-match-first over code points, as in HF's WordpieceTokenizer.
    int[] WordPiece(string word)
    {
        var boundaries = new List<int>(word.Length + 1); // UTF-16 offsets of code point starts, plus the end
        for (int i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1) boundaries.Add(i);
        int codePoints = boundaries.Count;
        boundaries.Add(word.Length);
        if (codePoints > Options.MaxInputCharsPerWord) return [UnkId];
        var pieces = new List<int>();
        int start = 0;
        var candidate = new StringBuilder();
        while (start < codePoints)
        {
            int end = codePoints, found = -1;
            while (start < end)
            {
                candidate.Clear();
                if (start > 0) candidate.Append(Options.ContinuingSubwordPrefix);
                candidate.Append(word, boundaries[start], boundaries[end] - boundaries[start]);
                if (Vocabulary.IdOf(candidate.ToString()) is var id and >= 0) { found = id; break; }
                end--;
            }
            if (found < 0) return [UnkId];
            pieces.Add(found);
            start = end;
        }
        return [.. pieces];
    }

    /// <summary><c>[CLS] text [SEP]</c>, truncated so the whole is at most <paramref name="maxLength"/> ids.</summary>
    public int[] Encode(string text, int maxLength = 512)
    {
        if (maxLength < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "must be at least 2 ([CLS] and [SEP])");
        var ids = TokenizeToIds(text);
        int keep = Math.Min(ids.Length, maxLength - 2);
        var result = new int[keep + 2];
        result[0] = ClsId;
        Array.Copy(ids, 0, result, 1, keep);
        result[^1] = SepId;
        return result;
    }

    /// <summary>
    /// <c>[CLS] a [SEP] b [SEP]</c> and its type ids, with <c>longest_first</c> truncation to <paramref name="maxLength"/> ids
    /// (the <c>tokenizers</c> crate's rule: the shorter text keeps its length when it fits in half the budget, else both get half,
    /// the longer text, or the second on a tie, getting the odd one).
    /// </summary>
    public (int[] Ids, int[] TypeIds) EncodePair(string first, string second, int maxLength = 512)
    {
        if (maxLength < 3) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "must be at least 3 ([CLS] and two [SEP])");
        var a = TokenizeToIds(first);
        var b = TokenizeToIds(second);
        var (n1, n2) = LongestFirst(a.Length, b.Length, maxLength - 3);
        var ids = new int[n1 + n2 + 3];
        var types = new int[ids.Length];
        ids[0] = ClsId;
        Array.Copy(a, 0, ids, 1, n1);
        ids[n1 + 1] = SepId;
        Array.Copy(b, 0, ids, n1 + 2, n2);
        ids[^1] = SepId;
        for (int i = n1 + 2; i < ids.Length; i++) types[i] = 1;
        return (ids, types);
    }

    /// <summary>How many tokens of each text <c>longest_first</c> keeps within <paramref name="budget"/> (tokenizers' truncate_encodings).</summary>
    public static (int First, int Second) LongestFirst(int first, int second, int budget)
    {
        if (first + second <= budget) return (first, second);
        int n1 = first, n2 = second;
        bool swap = n1 > n2;
        if (swap) (n1, n2) = (n2, n1);
        n2 = n1 > budget ? n1 : Math.Max(n1, budget - n1);
        if (n1 + n2 > budget)
        {
            n1 = budget / 2;
            n2 = n1 + budget % 2;
        }
        if (swap) (n1, n2) = (n2, n1);
        return (Math.Min(n1, first), Math.Min(n2, second));
    }

    /// <summary>Encodes single texts and pads them to the longest in the batch.</summary>
    public TokenBatch EncodeBatch(IReadOnlyList<string> texts, int maxLength = 512)
    {
        var ids = new int[texts.Count][];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = texts.Count > 64 ? Environment.ProcessorCount : 1 },
            i => ids[i] = Encode(texts[i], maxLength));
        return TokenBatch.Pad(ids, [.. ids.Select(r => new int[r.Length])], PadId);
    }

    /// <summary>Encodes text pairs (e.g. query, passage for a cross-encoder) and pads them to the longest in the batch.</summary>
    public TokenBatch EncodePairBatch(IReadOnlyList<string> first, IReadOnlyList<string> second, int maxLength = 512)
    {
        if (first.Count != second.Count) throw new ArgumentException($"{first.Count} first texts but {second.Count} second texts");
        var ids = new int[first.Count][];
        var types = new int[first.Count][];
        for (int i = 0; i < first.Count; i++) (ids[i], types[i]) = EncodePair(first[i], second[i], maxLength);
        return TokenBatch.Pad(ids, types, PadId);
    }
}
