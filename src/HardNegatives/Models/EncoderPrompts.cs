namespace HardNegatives.Models;

/// <summary>
/// Texts put before queries and documents at encoding time (e5's "query: "/"passage: ", bge's instruction), saved in
/// <c>config_sentence_transformers.json</c> as the prompts named <c>query</c> and <c>document</c>, as sentence-transformers does.
/// </summary>
/// <param name="Query">Prefix of every query; null or empty for none (the default).</param>
/// <param name="Document">Prefix of every document; null or empty for none (the default).</param>
public sealed record EncoderPrompts(string? Query = null, string? Document = null)
{
    /// <summary>No prompts.</summary>
    public static EncoderPrompts None { get; } = new();

    /// <summary>Queries with the query prompt in front (the same list when there is none).</summary>
    public IReadOnlyList<string> ApplyToQueries(IReadOnlyList<string> queries) => Apply(Query, queries);

    /// <summary>Documents with the document prompt in front (the same list when there is none).</summary>
    public IReadOnlyList<string> ApplyToDocuments(IReadOnlyList<string> documents) => Apply(Document, documents);

    static IReadOnlyList<string> Apply(string? prompt, IReadOnlyList<string> texts) =>
        string.IsNullOrEmpty(prompt) ? texts : [.. texts.Select(t => prompt + t)];
}
