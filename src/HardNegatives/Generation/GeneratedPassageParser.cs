using System.Text.Json;
using System.Text.RegularExpressions;

namespace HardNegatives.Generation;

/// <summary>How the passages were found in a model's answer, from strictest to most lenient.</summary>
public enum AnswerForm
{
    /// <summary>Nothing usable.</summary>
    None,
    /// <summary>The whole answer (after removing think blocks and a code fence) is JSON.</summary>
    Json,
    /// <summary>JSON found inside surrounding prose.</summary>
    JsonInText,
    /// <summary>Broken JSON (typically cut off at the token limit): the complete strings of its list were kept.</summary>
    JsonSalvaged,
    /// <summary>A numbered or bulleted plain-text list.</summary>
    PlainList,
    /// <summary>Paragraphs separated by blank lines, or a single paragraph.</summary>
    Paragraphs,
}

/// <summary>The passages read from one answer.</summary>
public sealed record ParsedAnswer(IReadOnlyList<string> Passages, AnswerForm Form);

/// <summary>
/// Reads generated passages out of whatever a model answered. Order of attempts: remove reasoning blocks
/// (<c>&lt;think&gt;…&lt;/think&gt;</c>, also an unterminated one, and everything before a lone <c>&lt;/think&gt;</c>);
/// remove a Markdown code fence; parse as JSON; else parse the first JSON array or object inside the text; else a
/// numbered/bulleted list; else blank-line separated paragraphs. JSON may be a bare list of strings, a list of objects with
/// a text field, or an object with a list field (<c>negatives</c>, <c>passages</c>, or the first list it has).
/// </summary>
public static partial class GeneratedPassageParser
{
    static readonly string[] TextFields = ["text", "passage", "content", "negative", "body"];
    static readonly string[] ListFields = ["negatives", "passages", "hard_negatives", "items", "results", "data"];

    public static ParsedAnswer Parse(string? answer)
    {
        var text = StripThinking(answer ?? "").Trim();
        if (text.Length == 0) return new([], AnswerForm.None);
        var unfenced = StripFence(text);
        if (TryJson(unfenced) is { } direct) return new(direct, AnswerForm.Json);
        foreach (var candidate in JsonCandidates(unfenced))
            if (TryJson(candidate) is { } embedded) return new(embedded, AnswerForm.JsonInText);
        // Text that starts like JSON but does not parse is broken JSON, not prose: keep its complete strings, or nothing.
        if (unfenced[0] is '[' or '{')
        {
            var salvaged = Salvage(unfenced);
            return salvaged.Count > 0 ? new(salvaged, AnswerForm.JsonSalvaged) : new([], AnswerForm.None);
        }
        var list = PlainList(unfenced);
        if (list.Count > 0) return new(list, AnswerForm.PlainList);
        var paragraphs = Regex.Split(unfenced, @"\n\s*\n").Select(Clean).Where(p => p.Length > 0).ToList();
        return paragraphs.Count > 0 ? new(paragraphs, AnswerForm.Paragraphs) : new([], AnswerForm.None);
    }

    /// <summary>Removes reasoning blocks: closed ones, an unterminated trailing one, and a preamble ending in a lone closing tag.</summary>
    public static string StripThinking(string text)
    {
        text = ClosedThink().Replace(text, "");
        var open = text.IndexOf("<think>", StringComparison.OrdinalIgnoreCase);
        if (open >= 0) text = text[..open];
        var close = text.LastIndexOf("</think>", StringComparison.OrdinalIgnoreCase);
        if (close >= 0) text = text[(close + "</think>".Length)..];
        return text;
    }

    static string StripFence(string text)
    {
        var m = Fence().Match(text);
        return m.Success ? m.Groups[1].Value.Trim() : text;
    }

    static IReadOnlyList<string>? TryJson(string text)
    {
        if (text.Length == 0 || (text[0] != '[' && text[0] != '{' && text[0] != '"')) return null;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var passages = FromJson(doc.RootElement);
            return passages is { Count: > 0 } ? passages : null;
        }
        catch (JsonException) { return null; }
    }

    static List<string>? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().Select(ItemText).OfType<string>().Select(Clean).Where(s => s.Length > 0).ToList(),
        JsonValueKind.Object => ListOf(e) is { } list ? FromJson(list) : ItemText(e) is { } one ? [Clean(one)] : null,
        JsonValueKind.String => [Clean(e.GetString()!)],
        _ => null,
    };

    static JsonElement? ListOf(JsonElement obj)
    {
        foreach (var name in ListFields)
            foreach (var p in obj.EnumerateObject())
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Array) return p.Value;
        foreach (var p in obj.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Array) return p.Value;
        return null;
    }

    static string? ItemText(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.String) return item.GetString();
        if (item.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in TextFields)
            foreach (var p in item.EnumerateObject())
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String) return p.Value.GetString();
        return item.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString())
            .OrderByDescending(s => s!.Length).FirstOrDefault();
    }

    /// <summary>Balanced JSON arrays/objects inside prose, outermost first, in order of appearance.</summary>
    static IEnumerable<string> JsonCandidates(string text)
    {
        for (var start = 0; start < text.Length; start++)
        {
            if (text[start] != '[' && text[start] != '{') continue;
            var end = MatchingClose(text, start);
            if (end > start) yield return text[start..(end + 1)];
        }
    }

    static int MatchingClose(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c is '[' or '{') depth++;
            else if (c is ']' or '}' && --depth == 0) return i;
        }
        return -1;
    }

    /// <summary>The string literals directly inside the first JSON list that are complete (followed by a comma or the list's end).</summary>
    static List<string> Salvage(string text)
    {
        var found = new List<string>();
        var open = text.IndexOf('[');
        if (open < 0) return found;
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '[' or '{') depth++;
            else if (c is ']' or '}') { if (--depth == 0) break; }
            else if (c == '"')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
                if (end >= text.Length) break; // cut off inside the string
                var next = end + 1;
                while (next < text.Length && char.IsWhiteSpace(text[next])) next++;
                if (depth == 1 && next < text.Length && text[next] is ',' or ']')
                {
                    try { found.Add(Clean(JsonSerializer.Deserialize<string>(text[i..(end + 1)])!)); }
                    catch (JsonException) { }
                }
                i = end;
            }
        }
        return found.Where(s => s.Length > 0).ToList();
    }

    static List<string> PlainList(string text)
    {
        var items = new List<string>();
        var current = (System.Text.StringBuilder?)null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var m = ListMarker().Match(line);
            if (m.Success)
            {
                if (current is not null) items.Add(Clean(current.ToString()));
                current = new System.Text.StringBuilder(line[m.Length..]);
            }
            else if (current is not null && line.Length > 0) current.Append(' ').Append(line);
        }
        if (current is not null) items.Add(Clean(current.ToString()));
        return items.Where(s => s.Length > 0).ToList();
    }

    /// <summary>Trims whitespace, surrounding quotes and Markdown emphasis.</summary>
    static string Clean(string s)
    {
        s = s.Trim();
        if (s.Length >= 2 && (s[0] == '"' && s[^1] == '"' || s[0] == '\u201c' && s[^1] == '\u201d')) s = s[1..^1].Trim();
        return s.Trim('*', ' ').Trim();
    }

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ClosedThink();

    [GeneratedRegex(@"```[A-Za-z0-9_-]*\s*\n?(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^(?:\d{1,2}[.):]|[-*•]|\*{0,2}(?:passage|negative)\s*\d+\s*[.:)]?\*{0,2}:?)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex ListMarker();
}
