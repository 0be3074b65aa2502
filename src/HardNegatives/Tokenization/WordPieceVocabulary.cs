using System.Text.Json;
using HardNegatives.Data;

namespace HardNegatives.Tokenization;

/// <summary>A WordPiece vocabulary: token ↔ id, read from <c>vocab.txt</c> (line number = id) or a <c>tokenizer.json</c>.</summary>
public sealed class WordPieceVocabulary
{
    readonly Dictionary<string, int> _ids;
    readonly string[] _tokens;

    public WordPieceVocabulary(IReadOnlyList<string> tokens)
    {
        _tokens = [.. tokens];
        _ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < _tokens.Length; i++) _ids.TryAdd(_tokens[i], i); // first occurrence wins, as in HF's load_vocab
    }

    /// <summary>Number of entries (the model's <c>vocab_size</c> must be at least this).</summary>
    public int Count => _tokens.Length;

    /// <summary>The id of <paramref name="token"/>, or -1.</summary>
    public int IdOf(string token) => _ids.TryGetValue(token, out var id) ? id : -1;

    /// <summary>True when the token is in the vocabulary.</summary>
    public bool Contains(string token) => _ids.ContainsKey(token);

    /// <summary>The token with <paramref name="id"/>.</summary>
    public string TokenOf(int id) => _tokens[id];

    /// <summary>Every token, in id order (what <c>vocab.txt</c> holds).</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Reads <c>vocab.txt</c> (one token per line; trailing line break ignored) or <c>tokenizer.json</c> (<c>model.vocab</c>).</summary>
    public static WordPieceVocabulary Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"vocabulary not found: {path} (give a vocab.txt or tokenizer.json)", path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return FromTokenizerJson(path);
        var lines = File.ReadAllLines(path);
        var tokens = lines.Select(l => l.TrimEnd('\r', '\n')).ToList();
        // HF's load_vocab strips the trailing newline only; keep spaces inside tokens.
        if (tokens.Count == 0) throw new DataFormatException(path, 1, "empty vocabulary");
        return new WordPieceVocabulary(tokens);
    }

    static WordPieceVocabulary FromTokenizerJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!doc.RootElement.TryGetProperty("model", out var model) || !model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 1, "no model.vocab object: is this a WordPiece tokenizer.json?");
        if (model.TryGetProperty("type", out var type) && type.GetString() is { } t && t != "WordPiece")
            throw new DataFormatException(path, 1, $"model.type is {t}, expected WordPiece");
        var pairs = vocab.EnumerateObject().Select(p => (p.Name, Id: p.Value.GetInt32())).ToList();
        var tokens = new string[pairs.Count == 0 ? 0 : pairs.Max(p => p.Id) + 1];
        foreach (var (name, id) in pairs) tokens[id] = name;
        for (int i = 0; i < tokens.Length; i++)
            if (tokens[i] is null) throw new DataFormatException(path, 1, $"model.vocab has no token with id {i}");
        return new WordPieceVocabulary(tokens);
    }

    /// <summary>Writes <c>vocab.txt</c>: one token per line in id order.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, string.Join("\n", _tokens) + "\n");
}
