using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HardNegatives.Experiments;

/// <summary>
/// Content address of an artifact: SHA-256 over the stage name and its <see cref="KeyParts"/> — the identity of the stage's
/// code, the content hashes of its inputs (files and upstream artifact keys) and the canonical JSON of its options.
/// Same code, same input bytes, same options → same key → reused; anything else → a new key, so nothing stale is ever reused.
/// </summary>
public static class ArtifactKey
{
    /// <summary>Computes the key of a step from its parts.</summary>
    public static string Compute(string stage, KeyParts parts)
    {
        var inputs = Canonical(JsonSerializer.SerializeToNode(parts.Inputs, ExperimentSpecLoader.Json));
        var canonical = $"{stage}\n{parts.Code}\n{inputs}\n{parts.Options}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..24];
    }

    /// <summary>Hash of the canonical JSON of any JSON-serialisable options object (records, anonymous objects).</summary>
    public static string OptionsHash(object options) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(JsonSerializer.SerializeToNode(options, ExperimentSpecLoader.Json)))))[..24];

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
