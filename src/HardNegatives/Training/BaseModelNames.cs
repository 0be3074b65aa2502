using HardNegatives.Data;
using HardNegatives.Models.Hub;
using HardNegatives.Models.Onnx;

namespace HardNegatives.Training;

/// <summary>
/// Whether a base model name (a spec's <c>model.base</c>, <c>hn train --model</c>) can mean anything, checked without the
/// network and without side effects: a folder, a from-scratch preset, a kit model, a folder under
/// <see cref="BiEncoderModels.ModelCache"/>, a model in the Hub cache, or a name <see cref="ModelResolver.IsHubName"/> accepts
/// (offline: cached only). Anything else is a typo, answered with the closest known names instead of a Hub request.
/// </summary>
public static class BaseModelNames
{
    /// <summary>Null when <paramref name="name"/> can be resolved; otherwise what is wrong and the closest known names.</summary>
    public static string? Problem(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "give a base model: a preset (e.g. tiny), a model folder or a Hub id owner/name";
        if (Directory.Exists(name) || BiEncoderModels.IsPreset(name) || PretrainedModels.Find(name) is not null) return null;
        var bare = !name.Contains(':') && name.IndexOfAny(['/', '\\']) < 0;
        if (bare && Directory.Exists(Path.Combine(BiEncoderModels.ModelCache, name))) return null;
        var cached = HfHub.CachedRepoIds();
        if (cached.Contains(name, StringComparer.Ordinal)) return null;
        if (ModelResolver.IsHubName(name))
            return new HfHubOptions().EffectiveOffline ? $"offline (HN_OFFLINE or HF_HUB_OFFLINE is set) and '{name}' is not in the Hub cache {new HfHubOptions().EffectiveCacheDir}; download it once online or unset HN_OFFLINE" : null;
        var closest = ClosestNames.Of(name.Split(':', 2)[0], Known(cached));
        return $"no such local model or Hub id: '{name}' is not a folder, a preset ({string.Join(", ", BiEncoderModels.PresetNames)}), " +
            $"a kit model ({string.Join(", ", PretrainedModels.All.Select(m => m.Name))}), a model in {BiEncoderModels.ModelCache}, " +
            "nor a Hub id of the form owner/name (e.g. distilbert/distilbert-base-uncased)" + (closest.Count > 0 ? $"; closest known: {string.Join(", ", closest)}" : "");
    }

    static IEnumerable<string> Known(IReadOnlyList<string> cached) =>
        BiEncoderModels.PresetNames
            .Concat(PretrainedModels.All.SelectMany(m => m.Aliases.Prepend(m.Name)))
            .Concat(Directory.Exists(BiEncoderModels.ModelCache) ? Directory.EnumerateDirectories(BiEncoderModels.ModelCache).Select(Path.GetFileName).OfType<string>() : [])
            .Concat(ModelResolver.KnownBareHubIds)
            .Concat(cached);
}
