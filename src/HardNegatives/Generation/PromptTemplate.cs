using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace HardNegatives.Generation;

/// <summary>How a request switches a reasoning model's thinking off (see environment.md, "LLM servers (generation)").</summary>
public enum ThinkingControl
{
    /// <summary>Send the prompt as is; any <c>&lt;think&gt;</c> block in the answer is still removed before parsing.</summary>
    Leave,
    /// <summary>Append Qwen3's soft switch <c>/no_think</c> to the user message (works on every server, Ollama included).</summary>
    SoftSwitch,
    /// <summary>
    /// Ask the server through <see cref="ChatBackends.EnableThinkingKey"/>: <c>"chat_template_kwargs": {"enable_thinking": false}</c>
    /// for OpenAI-compatible servers (vLLM, SGLang, llama-server <c>--jinja</c>; the chat template pre-fills an empty think
    /// block), <c>"think": false</c> for Ollama's native API.
    /// </summary>
    TemplateKwargs,
}

/// <summary>A worked example shown to the model as a previous user/assistant turn.</summary>
public sealed record FewShotExample(string Query, string Positive, IReadOnlyList<string> Negatives);

/// <summary>
/// A versioned prompt for generating hard negatives. Placeholders in <see cref="User"/>: <c>{{query}}</c>,
/// <c>{{positive}}</c>, <c>{{n}}</c> (how many passages to write) and <c>{{positive_words}}</c> (the positive's length in words).
/// Templates are JSON files; the kit's own are embedded from <c>Generation/Templates/*.json</c> and listed by <see cref="PromptTemplates"/>.
/// </summary>
/// <param name="Id">Stable name, e.g. <c>hn-negatives-v1</c>; part of the cache key together with <see cref="Version"/>.</param>
/// <param name="Version">Bumped whenever the wording changes, so cached answers of an older wording are not reused.</param>
public sealed partial record PromptTemplate(
    string Id,
    int Version,
    string System,
    string User,
    string Description = "",
    ThinkingControl Thinking = ThinkingControl.Leave,
    IReadOnlyList<FewShotExample>? Examples = null)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = true,
    };

    /// <summary>Reads a template file; errors name the file and what is missing.</summary>
    public static PromptTemplate Parse(string json, string origin)
    {
        PromptTemplate? t;
        try { t = JsonSerializer.Deserialize<PromptTemplate>(json, Json); }
        catch (JsonException e) { throw new InvalidDataException($"{origin}: not a prompt template ({e.Message.Split(" Path:")[0]})", e); }
        if (t is null || string.IsNullOrWhiteSpace(t.Id) || t.Version < 1 || string.IsNullOrWhiteSpace(t.User))
            throw new InvalidDataException($"{origin}: a prompt template needs \"id\", \"version\" (>= 1) and \"user\"");
        if (!t.User.Contains("{{query}}") || !t.User.Contains("{{positive}}"))
            throw new InvalidDataException($"{origin}: template '{t.Id}' must use {{{{query}}}} and {{{{positive}}}} in \"user\"");
        return t;
    }

    /// <summary>The messages of one request asking for <paramref name="count"/> negatives.</summary>
    public IReadOnlyList<ChatMessage> Render(string query, string positive, int count, ThinkingControl thinking)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(System)) messages.Add(new ChatMessage(ChatRole.System, System));
        foreach (var example in Examples ?? [])
        {
            messages.Add(new ChatMessage(ChatRole.User, Fill(example.Query, example.Positive, example.Negatives.Count)));
            messages.Add(new ChatMessage(ChatRole.Assistant, JsonSerializer.Serialize(new { negatives = example.Negatives })));
        }
        var user = Fill(query, positive, count);
        if (thinking == ThinkingControl.SoftSwitch) user += " /no_think";
        messages.Add(new ChatMessage(ChatRole.User, user));
        return messages;
    }

    string Fill(string query, string positive, int count)
    {
        // One pass, so a query that happens to contain "{{positive}}" is not expanded.
        var values = new Dictionary<string, string>
        {
            ["query"] = query,
            ["positive"] = positive,
            ["n"] = count.ToString(CultureInfo.InvariantCulture),
            ["positive_words"] = QualityFilter.Words(positive).Count.ToString(CultureInfo.InvariantCulture),
        };
        return Placeholder().Replace(User, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>The prompt templates shipped with the kit, and loading of user templates from files.</summary>
public static class PromptTemplates
{
    /// <summary>The template used when none is named.</summary>
    /// <summary>
    /// The default template: <c>hn-negatives-v2</c> asks for same-topic passages that neither support nor refute the query
    /// (v1 asked for contradicting ones, which are relevant evidence on fact-checking sets such as SciFact). v1 stays
    /// available, unchanged, for runs made with it. The wording of both is the kit's own, not the paper's prompt.
    /// </summary>
    public const string DefaultId = "hn-negatives-v2";

    static readonly Lazy<IReadOnlyDictionary<string, PromptTemplate>> Bundled = new(LoadBundled);

    /// <summary>Ids of the embedded templates.</summary>
    public static IReadOnlyList<string> Ids => Bundled.Value.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>An embedded template by id, or a template file by path.</summary>
    public static PromptTemplate Get(string idOrPath)
    {
        if (Bundled.Value.TryGetValue(idOrPath, out var t)) return t;
        if (File.Exists(idOrPath)) return PromptTemplate.Parse(File.ReadAllText(idOrPath), idOrPath);
        throw new ArgumentException($"unknown prompt template '{idOrPath}': neither a bundled id ({string.Join(", ", Ids)}) nor a template file");
    }

    static IReadOnlyDictionary<string, PromptTemplate> LoadBundled()
    {
        var assembly = typeof(PromptTemplates).Assembly;
        var byId = new Dictionary<string, PromptTemplate>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Generation.Templates.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var t = PromptTemplate.Parse(reader.ReadToEnd(), name);
            if (!byId.TryAdd(t.Id, t)) throw new InvalidDataException($"two embedded templates share the id '{t.Id}'");
        }
        return byId;
    }
}
