using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HardNegatives.Tokenization.Bpe;

namespace HardNegatives.Tests.Tokenization.Bpe;

/// <summary>
/// Trains a small byte-level BPE the way GPT-2-style tokenizers are trained (pieces from the split regex, GPT-2's byte
/// alphabet as the 256 base tokens, then the most frequent adjacent pair merged, again and again; ties broken by ordinal
/// order so the result is deterministic) and writes it as a Hugging Face <c>tokenizer.json</c>. No real byte-level
/// tokenizer.json is bundled with the repository, so tests build realistic ones from real text.
/// </summary>
static class ByteLevelBpeTrainer
{
    public sealed record Spec(string SplitPattern, int Merges, IReadOnlyList<(string Content, bool Special)> AddedTokens,
        bool IgnoreMerges = false, bool Nfc = false, string? PrependedToken = null, IReadOnlyList<string>? ExtraWholeWords = null);

    /// <summary>The tokenizer.json of a BPE trained on <paramref name="corpus"/>.</summary>
    public static JsonObject Train(IEnumerable<string> corpus, Spec spec)
    {
        var regex = new Regex(spec.SplitPattern, RegexOptions.CultureInvariant);
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (Match m in regex.Matches(text))
            {
                var mapped = ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(m.Value));
                words[mapped] = words.GetValueOrDefault(mapped) + 1;
            }
        var symbols = words.Select(w => (Symbols: w.Key.Select(c => c.ToString()).ToList(), Count: w.Value)).ToList();
        var vocab = new JsonObject();
        var next = 0;
        for (var b = 0; b < 256; b++) vocab[ByteLevelAlphabet.Encode((byte)b).ToString()] = next++;
        var merges = new JsonArray();
        for (var round = 0; round < spec.Merges; round++)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach (var (s, count) in symbols)
                for (var i = 0; i < s.Count - 1; i++) pairs[(s[i], s[i + 1])] = pairs.GetValueOrDefault((s[i], s[i + 1])) + count;
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First().Key;
            merges.Add($"{best.Item1} {best.Item2}");
            if (!vocab.ContainsKey(best.Item1 + best.Item2)) vocab[best.Item1 + best.Item2] = next++;
            foreach (var (s, _) in symbols)
                for (var i = 0; i < s.Count - 1; i++)
                    if (s[i] == best.Item1 && s[i + 1] == best.Item2) { s[i] += s[i + 1]; s.RemoveAt(i + 1); }
        }
        foreach (var word in spec.ExtraWholeWords ?? [])
            if (!vocab.ContainsKey(word)) vocab[word] = next++;
        var added = new JsonArray();
        foreach (var (content, special) in spec.AddedTokens)
            added.Add(new JsonObject { ["id"] = next++, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = special });
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = spec.Nfc ? new JsonObject { ["type"] = "NFC" } : null,
            ["pre_tokenizer"] = spec.SplitPattern == ByteLevelBpeTokenizer.Gpt2Pattern
                ? new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true }
                : new JsonObject
                {
                    ["type"] = "Sequence",
                    ["pretokenizers"] = new JsonArray(
                        new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = spec.SplitPattern }, ["behavior"] = "Isolated", ["invert"] = false },
                        new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
                },
            ["post_processor"] = spec.PrependedToken is { } bos
                ? new JsonObject
                {
                    ["type"] = "TemplateProcessing",
                    ["single"] = new JsonArray(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = bos, ["type_id"] = 0 } },
                        new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                    ["special_tokens"] = new JsonObject
                    {
                        [bos] = new JsonObject { ["id"] = bos, ["ids"] = new JsonArray(added.First(a => (string)a!["content"]! == bos)!["id"]!.GetValue<int>()), ["tokens"] = new JsonArray(bos) },
                    },
                }
                : new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = spec.IgnoreMerges, ["vocab"] = vocab, ["merges"] = merges,
            },
        };
        return root;
    }
}
