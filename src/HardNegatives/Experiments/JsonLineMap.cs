using System.Text;
using System.Text.Json;

namespace HardNegatives.Experiments;

/// <summary>Maps JSON paths (<c>sources[2].kind</c>) to 1-based line numbers, so validation errors can name the line.</summary>
public sealed class JsonLineMap
{
    readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public JsonLineMap(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new Stack<(string Prefix, int Index, bool IsArray)>();
        string? pendingName = null;
        int line = 1, scanned = 0;
        int LineAt(long offset)
        {
            for (; scanned < offset; scanned++) if (bytes[scanned] == (byte)'\n') line++;
            return line;
        }
        string Current()
        {
            if (path.Count == 0) return "";
            var (prefix, index, isArray) = path.Peek();
            return isArray ? $"{prefix}[{index}]" : prefix;
        }
        string Join(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";
        void Record(string p, long offset) { if (p.Length > 0) _lines.TryAdd(p, LineAt(offset)); }
        string NextValuePath()
        {
            if (pendingName is { } n) { pendingName = null; return Join(Current(), n); }
            if (path.Count > 0 && path.Peek().IsArray)
            {
                var (prefix, index, _) = path.Pop();
                path.Push((prefix, index + 1, true));
                return $"{prefix}[{index + 1}]";
            }
            return Current();
        }
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        Record(Join(Current(), pendingName!), reader.TokenStartIndex);
                        break;
                    case JsonTokenType.StartObject:
                    {
                        var p = NextValuePath();
                        Record(p, reader.TokenStartIndex);
                        path.Push((p, 0, false));
                        break;
                    }
                    case JsonTokenType.StartArray:
                    {
                        var p = NextValuePath();
                        Record(p, reader.TokenStartIndex);
                        path.Push((p, -1, true));
                        break;
                    }
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.Pop();
                        break;
                    default:
                        Record(NextValuePath(), reader.TokenStartIndex);
                        break;
                }
            }
        }
        catch (JsonException) { /* syntax errors are reported by the deserializer with their own line */ }
    }

    /// <summary>The line of <paramref name="path"/>, or of its nearest recorded parent; 1 when nothing matches.</summary>
    public int LineOf(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
            if (_lines.TryGetValue(p, out var line)) return line;
        return 1;
    }

    static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
