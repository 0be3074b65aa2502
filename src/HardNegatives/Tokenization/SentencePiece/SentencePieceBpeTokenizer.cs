using System.Text;

namespace HardNegatives.Tokenization.SentencePiece;

/// <summary>
/// SentencePiece-style BPE as llama2.c's <c>encode()</c>/<c>decode()</c> (run.c) compute it: the text (with a dummy
/// prefix space) is split into UTF-8 code points, each looked up as a piece or else spelled as byte tokens
/// <c>&lt;0xNN&gt;</c> (byte fallback); then, repeatedly, the adjacent pair whose concatenation is a piece with the
/// highest score is merged (leftmost on ties) until no pair is a piece. Pieces are compared as raw bytes.
/// With merge ranks (a Hugging Face <c>tokenizer.json</c>), the pair with the lowest rank is merged instead, as HF's BPE
/// model does, and added tokens are split out of the text first, each remaining segment normalized (▁ prepended) alone.
/// </summary>
/// <remarks>
/// Differences from run.c, all outside what run.c can express: input text may contain NUL (run.c stops at it); decoding
/// assembles byte tokens ≥ 0x80 into UTF-8 text (run.c's <c>safe_printf</c> drops such single bytes), while it drops
/// ASCII control bytes other than whitespace exactly as run.c does.
/// </remarks>
public sealed class SentencePieceBpeTokenizer : ITextTokenizer
{
    static readonly Encoding Latin1 = Encoding.Latin1;
    readonly byte[][] _pieces;
    readonly float[] _scores;
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal); // piece bytes as Latin-1 chars -> first id
    readonly int[] _byteIds = new int[256];
    readonly int[] _byteOfToken;                                          // -1 unless the piece is <0xNN>
    readonly byte[] _spaceBytes;
    readonly Dictionary<(int, int), (int Rank, int Id)>? _merges;
    readonly IReadOnlyList<(string Content, int Id, bool Special)> _added;
    readonly HashSet<int> _special;

    public SentencePieceBpeTokenizer(IReadOnlyList<byte[]> pieces, IReadOnlyList<float> scores, SentencePieceOptions options,
        IReadOnlyDictionary<(int Left, int Right), (int Rank, int Id)>? mergeRanks = null, IReadOnlyList<(string Content, int Id, bool Special)>? addedTokens = null)
    {
        _merges = mergeRanks?.ToDictionary(kv => kv.Key, kv => kv.Value);
        _added = [.. (addedTokens ?? []).OrderByDescending(a => a.Content.Length)];
        _special = [.. _added.Where(a => a.Special).Select(a => a.Id)];
        if (pieces.Count != scores.Count) throw new ArgumentException($"{pieces.Count} pieces but {scores.Count} scores");
        Options = options;
        _pieces = [.. pieces];
        _scores = [.. scores];
        _byteOfToken = new int[_pieces.Length];
        Array.Fill(_byteIds, -1);
        for (var i = 0; i < _pieces.Length; i++)
        {
            _ids.TryAdd(Latin1.GetString(_pieces[i]), i);
            _byteOfToken[i] = ParseBytePiece(_pieces[i]);
            if (_byteOfToken[i] >= 0 && _byteIds[_byteOfToken[i]] < 0) _byteIds[_byteOfToken[i]] = i;
        }
        _spaceBytes = Encoding.UTF8.GetBytes(options.SpaceSymbol);
    }

    public SentencePieceOptions Options { get; }
    public int VocabSize => _pieces.Length;
    public int Bos => Options.Bos;
    public int Eos => Options.Eos;
    public byte[] PieceBytes(int id) => _pieces[id];
    public float Score(int id) => _scores[id];

    /// <summary>
    /// The piece's score for score-ranked BPE (llama2.c, SentencePiece, llama.cpp): the stored score, or for a merge-ranked
    /// tokenizer.json minus the rank of the first merge that makes the piece (pieces no merge makes: minus the merge count).
    /// </summary>
    public float RankScore(int id)
    {
        if (_merges is null) return _scores[id];
        _rankScores ??= BuildRankScores();
        return _rankScores[id];
    }

    float[]? _rankScores;

    float[] BuildRankScores()
    {
        var scores = Enumerable.Repeat(-(float)_merges!.Count - 1, _pieces.Length).ToArray();
        foreach (var (rank, id) in _merges.Values) scores[id] = Math.Max(scores[id], -rank);
        return scores;
    }

    /// <summary>True when the piece is a byte token <c>&lt;0xNN&gt;</c>.</summary>
    public bool IsBytePiece(int id) => _byteOfToken[id] >= 0;

    /// <summary>The piece as text (UTF-8; byte pieces stay <c>&lt;0xNN&gt;</c>).</summary>
    public string Piece(int id) => Encoding.UTF8.GetString(_pieces[id]);

    /// <summary>The id of a piece given as text, or null.</summary>
    public int? PieceToId(string piece) => _ids.TryGetValue(Latin1.GetString(Encoding.UTF8.GetBytes(piece)), out var id) ? id : null;

    // run.c: sscanf(piece, "<0x%02hhX>", &b) == 1
    static int ParseBytePiece(byte[] p)
    {
        if (p.Length < 4 || p[0] != '<' || p[1] != '0' || p[2] != 'x') return -1;
        var value = 0;
        var digits = 0;
        for (var i = 3; i < p.Length && digits < 2 && Uri.IsHexDigit((char)p[i]); i++, digits++) value = value * 16 + Convert.ToInt32(((char)p[i]).ToString(), 16);
        return digits == 0 ? -1 : value;
    }

    int Lookup(ReadOnlySpan<byte> bytes) => _ids.TryGetValue(Latin1.GetString(bytes), out var id) ? id : -1;

    /// <summary>Token ids for <paramref name="text"/>, optionally with BOS first and EOS last (run.c's <c>encode(t, text, bos, eos, …)</c>).</summary>
    public int[] Encode(string text, bool addBos = false, bool addEos = false)
    {
        var tokens = new List<int>();
        if (addBos) tokens.Add(Bos);
        var start = 0;
        while (_added.Count > 0 && start < text.Length)
        {
            var (index, token) = _added.Select(a => (Index: text.IndexOf(a.Content, start, StringComparison.Ordinal), Token: a))
                .Where(x => x.Index >= 0).OrderBy(x => x.Index).FirstOrDefault(); // longest first among equal positions
            if (token.Content is null) break;
            EncodeSegment(text[start..index], tokens);
            tokens.Add(token.Id);
            start = index + token.Content.Length;
        }
        EncodeSegment(text[start..], tokens);
        if (addEos) tokens.Add(Eos);
        return [.. tokens];
    }

    void EncodeSegment(string text, List<int> output)
    {
        var tokens = new List<int>();
        var spelled = Options.SpaceSymbol == " " ? text : text.Replace(" ", Options.SpaceSymbol);
        var bytes = Encoding.UTF8.GetBytes(spelled);
        if (bytes.Length > 0 && Options.AddDummyPrefix)
        {
            var prefix = Lookup(_spaceBytes);
            if (prefix >= 0) tokens.Add(prefix);
            else bytes = [.. _spaceBytes, .. bytes]; // no piece for a lone space: spell it like the text
        }
        // Code points: a lead (or ASCII) byte plus its continuation bytes, at most 4 bytes per lookup.
        for (var start = 0; start < bytes.Length;)
        {
            var end = start + 1;
            while (end < bytes.Length && (bytes[end] & 0xC0) == 0x80 && end - start < 4) end++;
            var id = Lookup(bytes.AsSpan(start, end - start));
            if (id >= 0) tokens.Add(id);
            else for (var i = start; i < end; i++) tokens.Add(_byteIds[bytes[i]] >= 0 ? _byteIds[bytes[i]] : Options.Unk);
            start = end;
        }
        Merge(tokens);
        output.AddRange(tokens);
    }

    // Highest-scoring adjacent pair first, leftmost on ties; llama2.c starts best_score at -1e10 (strictly greater wins).
    void Merge(List<int> tokens)
    {
        var merged = new List<int>(tokens.Count);
        for (var i = 0; i + 1 < tokens.Count; i++) merged.Add(PairId(tokens[i], tokens[i + 1]));
        while (true)
        {
            var best = -1;
            var bestScore = -1e10f;
            for (var i = 0; i < merged.Count; i++)
                if (merged[i] >= 0 && Priority(tokens[i], tokens[i + 1], merged[i]) is var score && score > bestScore) { bestScore = score; best = i; }
            if (best < 0) return;
            tokens[best] = merged[best];
            tokens.RemoveAt(best + 1);
            merged.RemoveAt(best);
            if (best > 0) merged[best - 1] = PairId(tokens[best - 1], tokens[best]);
            if (best < merged.Count) merged[best] = PairId(tokens[best], tokens[best + 1]);
        }
    }

    // llama2.c: the merged piece's score; tokenizer.json: minus the merge's rank (earlier merges first).
    float Priority(int a, int b, int merged) => _merges is null ? _scores[merged] : -_merges[(a, b)].Rank;

    int PairId(int a, int b)
    {
        if (_merges is not null) return _merges.TryGetValue((a, b), out var m) ? m.Id : -1;
        var pa = _pieces[a];
        var pb = _pieces[b];
        Span<byte> both = pa.Length + pb.Length <= 256 ? stackalloc byte[pa.Length + pb.Length] : new byte[pa.Length + pb.Length];
        pa.CopyTo(both);
        pb.CopyTo(both[pa.Length..]);
        return Lookup(both);
    }

    /// <summary>
    /// The bytes run.c's <c>decode(prev, token)</c> prints for <paramref name="token"/>: a leading space is dropped right
    /// after BOS, byte pieces become their byte, and a lone non-printable ASCII byte (other than whitespace) is dropped.
    /// </summary>
    public ReadOnlySpan<byte> TokenBytes(int previous, int token)
    {
        if (token < 0 || token >= _pieces.Length) throw new ArgumentOutOfRangeException(nameof(token), $"token id {token} is outside the vocabulary (0..{_pieces.Length - 1})");
        if (Options.HuggingFaceDecoding)
        {
            // Replace ▁ by spaces, bytes as bytes, special tokens skipped; the one leading space is stripped by the caller.
            if (_special.Contains(token)) return [];
            if (_byteOfToken[token] is var hb and >= 0) return new[] { (byte)hb };
            return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(_pieces[token]).Replace(Options.SpaceSymbol, " "));
        }
        if (_byteOfToken[token] is var b and >= 0)
            return DroppedByRunC(b) ? [] : new[] { (byte)b };
        ReadOnlySpan<byte> piece = _pieces[token];
        if (Options.SpaceSymbol != " ") piece = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(piece).Replace(Options.SpaceSymbol, " "));
        if (previous == Bos && piece.Length > 0 && piece[0] == (byte)' ') piece = piece[1..];
        return piece.Length == 1 && DroppedByRunC(piece[0]) ? [] : piece;
    }

    // safe_printf: a lone byte that is neither isprint nor isspace (C locale). Bytes >= 0x80 are kept for UTF-8.
    static bool DroppedByRunC(int b) => b < 0x80 && !(b is >= 0x20 and < 0x7F || b is >= 0x09 and <= 0x0D);

    IReadOnlyList<int> ITextTokenizer.Encode(string text) => Encode(text);

    /// <inheritdoc/>
    public ITokenTextStream NewTextStream(int previous = -1) => new SentencePieceTextStream(this, previous);

    /// <summary>Text of a whole sequence, as run.c prints it token by token (<paramref name="previous"/>: the token before the first).</summary>
    public string Decode(IEnumerable<int> ids, int previous = -1)
    {
        var stream = new SentencePieceTextStream(this, previous);
        var text = new StringBuilder();
        foreach (var id in ids) text.Append(stream.Append(id));
        return text.Append(stream.Flush()).ToString();
    }
}
