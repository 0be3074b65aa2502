using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Experiments;

/// <summary>
/// Content address of an artifact: SHA-256 over the stage name, the stage's code version, and the canonical JSON of
/// everything that determines its output (input artifact keys, options, seed). Same inputs → same key → reused.
/// </summary>
public static class ArtifactKey
{
    /// <summary>Computes the key; <paramref name="inputs"/> is any JSON-serialisable object (records, dictionaries).</summary>
    public static string Compute(string stage, int stageVersion, object inputs)
    {
        var node = JsonSerializer.SerializeToNode(inputs, ExperimentSpecLoader.Json);
        var canonical = $"{stage}\n{stageVersion}\n{Canonical(node)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..24];
    }

    /// <summary>Hash of a whole spec, recorded in provenance.</summary>
    public static string HashOf(ExperimentSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(JsonSerializer.SerializeToNode(spec, ExperimentSpecLoader.Json))))).Substring(0, 16);

    /// <summary>JSON with object keys sorted and no whitespace, so equal content always hashes equally.</summary>
    public static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        _ => node.ToJsonString(),
    };
}
