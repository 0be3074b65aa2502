using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Models;

/// <summary>Typed reads of config.json fields with defaults and errors that name the field.</summary>
static class ConfigJson
{
    static T Get<T>(JsonObject o, string key, T fallback, string source)
    {
        if (o[key] is not JsonValue v) return fallback;
        try { return v.GetValue<T>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            if (typeof(T) == typeof(int) && v.TryGetValue<double>(out var d) && d == Math.Floor(d)) return (T)(object)(int)d;
            if (typeof(T) == typeof(double) && v.TryGetValue<int>(out var i)) return (T)(object)(double)i;
            throw new InvalidDataException($"{source}: field {key} = {v.ToJsonString()} is not a {typeof(T).Name}");
        }
    }

    public static int Int(JsonObject o, string key, int fallback, string source) => Get(o, key, fallback, source);
    public static double Double(JsonObject o, string key, double fallback, string source) => Get(o, key, fallback, source);
    public static bool Bool(JsonObject o, string key, bool fallback, string source) => Get(o, key, fallback, source);
    public static string String(JsonObject o, string key, string fallback, string source) => Get(o, key, fallback, source);

    /// <summary>The <c>model_type</c> of a config.json file.</summary>
    public static string ModelType(string configPath)
    {
        var o = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject ?? throw new InvalidDataException($"{configPath}: not a JSON object");
        return o["model_type"] is JsonValue v ? v.GetValue<string>() : throw new InvalidDataException($"{configPath}: no model_type field");
    }
}
