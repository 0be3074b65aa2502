using System.Globalization;
using System.Text;

namespace HardNegatives.Tokenization;

/// <summary>
/// Hugging Face's BERT text clean-up and pre-tokenization (the <c>tokenizers</c> crate's <c>BertNormalizer</c> followed by
/// <c>BertPreTokenizer</c>, which the fast <c>BertTokenizer</c> runs): drop NUL, U+FFFD and control characters, map whitespace
/// to spaces, put spaces around CJK ideographs, strip accents (NFD, drop <c>Mn</c>) and lowercase, then split on whitespace
/// and isolate every punctuation character.
/// </summary>
public sealed record BertNormalizer(bool Lowercase = true, bool StripAccents = true, bool TokenizeChineseChars = true)
{
    /// <summary>Normalizes <paramref name="text"/> and splits it into words and single punctuation marks.</summary>
    public IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
        }
        foreach (var rune in Normalize(text).EnumerateRunes())
        {
            if (IsWhitespace(rune)) { Flush(); continue; }
            if (IsPunctuation(rune)) { Flush(); words.Add(rune.ToString()); continue; }
            current.Append(rune.ToString());
        }
        Flush();
        return words;
    }

    /// <summary>The normalizer alone: clean, CJK spacing, accent stripping, lowercasing (in the order <c>tokenizers</c> applies them).</summary>
    public string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune)) continue;
            if (IsWhitespace(rune)) { sb.Append(' '); continue; }
            if (TokenizeChineseChars && IsChineseChar(rune.Value)) { sb.Append(' ').Append(rune.ToString()).Append(' '); continue; }
            sb.Append(rune.ToString());
        }
        var s = sb.ToString();
        if (StripAccents)
        {
            var nfd = s.Normalize(NormalizationForm.FormD);
            var stripped = new StringBuilder(nfd.Length);
            foreach (var rune in nfd.EnumerateRunes())
                if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) stripped.Append(rune.ToString());
            s = stripped.ToString();
        }
        return Lowercase ? ToLowerFull(s) : s;
    }

    /// <summary>
    /// Lowercases as Hugging Face's BertNormalizer does: <c>NormalizedString::lowercase</c> maps each character on its own
    /// with Rust's <c>char::to_lowercase</c> — the full mapping of one code point, without context. So capital sigma is
    /// always <c>σ</c> (never the word-final <c>ς</c> that context-sensitive <c>str::to_lowercase</c> or Python's
    /// <c>str.lower</c> give), and capital I with dot above becomes two code points, <c>i</c> + U+0307 (the only
    /// unconditional lowercase mapping in Unicode's SpecialCasing.txt that is longer than one code point).
    /// </summary>
    static string ToLowerFull(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            if (r.Value == 0x0130) { sb.Append("i\u0307"); continue; }
            sb.Append(Rune.ToLowerInvariant(r).ToString());
        }
        return sb.ToString();
    }

    /// <summary>Tab, newline, carriage return and the Unicode White_Space characters.</summary>
    public static bool IsWhitespace(Rune r) => r.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(r);

    /// <summary>Any <c>C*</c> category except tab, newline and carriage return (those count as whitespace).</summary>
    public static bool IsControl(Rune r)
    {
        if (r.Value is '\t' or '\n' or '\r') return false;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>ASCII 33–47, 58–64, 91–96, 123–126 (so <c>$</c>, <c>+</c>, <c>^</c> count) or any Unicode <c>P*</c> category.</summary>
    public static bool IsPunctuation(Rune r)
    {
        int c = r.Value;
        if (c is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks BERT isolates (not Hangul, Hiragana or Katakana).</summary>
    public static bool IsChineseChar(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
