using System.Text.Json.Nodes;
using HardNegatives.Generation.Embedded;
using HardNegatives.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Generation.Embedded;

public sealed class HfCheckpointTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "hn-hfckpt-" + Guid.NewGuid().ToString("N"));

    public HfCheckpointTests() => Directory.CreateDirectory(_dir);

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    static string ConfigJson(string arch, string extra = "") => $$"""
        {"architectures": ["{{arch}}"], "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 50, "rms_norm_eps": 1e-6,
         "rope_theta": 10000.0, "tie_word_embeddings": false, "bos_token_id": 1, "eos_token_id": [2, 3] {{extra}}}
        """;

    [Fact]
    public void ParsesQwen3AndLlama3ConfigFields()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, ConfigJson("Qwen3ForCausalLM", ""","head_dim": 12, "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}"""));
        var c = DecoderConfig.Load(path);
        Assert.Equal(DecoderFamily.Qwen3, c.Family);
        Assert.Equal(12, c.HeadDim);
        Assert.Equal(2, c.NumKvHeads);
        Assert.Equal([2, 3], c.EosTokenIds);
        Assert.Equal(new Llama3RopeScaling(8, 1, 4, 8192), c.RopeScaling);
    }

    [Fact]
    public void UnknownArchitectureAndUnsupportedRopeScalingAreNamedErrors()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, ConfigJson("GPT2LMHeadModel"));
        Assert.Contains("GPT2LMHeadModel", Assert.Throws<InvalidDataException>(() => DecoderConfig.Load(path)).Message);
        File.WriteAllText(path, ConfigJson("LlamaForCausalLM", ""","rope_scaling": {"rope_type": "yarn", "factor": 4.0}"""));
        Assert.Contains("\"yarn\" is not supported", Assert.Throws<InvalidDataException>(() => DecoderConfig.Load(path)).Message);
        // longrope needs one factor per rotated frequency (head_dim 8 -> 4).
        File.WriteAllText(path, ConfigJson("Phi3ForCausalLM", ""","rope_scaling": {"type": "longrope", "short_factor": [1.0], "long_factor": [1.0]}"""));
        Assert.Contains("need 4 entries", Assert.Throws<InvalidDataException>(() => DecoderConfig.Load(path)).Message);
    }

    [Fact]
    public void MissingAndMisShapedTensorsAreListedByName()
    {
        using var scope = NewDisposeScope();
        var config = DecoderFamilyTests.Small(DecoderFamily.Llama);
        var w = RandomDecoderWeights.Create(config, 1);
        w.Remove("model.layers.1.mlp.up_proj.weight");
        w["model.layers.0.self_attn.k_proj.weight"] = zeros(8, 32);
        var e = Assert.Throws<InvalidDataException>(() => new DecoderModel(config, w));
        Assert.Contains("missing model.layers.1.mlp.up_proj.weight [48, 32]", e.Message);
        Assert.Contains("model.layers.0.self_attn.k_proj.weight has shape [8, 32], expected [16, 32]", e.Message);
    }

    [Fact]
    public void ShardedCheckpointLoadsLikeTheSingleFile()
    {
        using var scope = NewDisposeScope();
        var config = DecoderFamilyTests.Small(DecoderFamily.Phi3);
        var w = RandomDecoderWeights.Create(config, 11);
        using var model = new DecoderModel(config, w);
        HfCheckpoint.Save(model, _dir);
        var single = Path.Combine(_dir, "model.safetensors");
        using var checkpoint = SafetensorsCheckpoint.Open(single);
        var all = checkpoint.Names.ToDictionary(n => n, n => checkpoint.Read(n));
        Assert.Contains("model.layers.0.self_attn.qkv_proj.weight", all.Keys); // exported in Phi-3's own fused names
        var names = all.Keys.Order(StringComparer.Ordinal).ToList();
        var map = new JsonObject();
        var shards = new[] { names.Take(names.Count / 2).ToList(), names.Skip(names.Count / 2).ToList() };
        for (var s = 0; s < 2; s++)
        {
            var file = $"model-{s + 1:00000}-of-00002.safetensors";
            SafetensorsWriter.Save(Path.Combine(_dir, file), shards[s].ToDictionary(n => n, n => all[n]));
            foreach (var n in shards[s]) map[n] = file;
        }
        checkpoint.Dispose();
        File.Delete(single);
        File.WriteAllText(Path.Combine(_dir, "model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
        using var loaded = HfCheckpoint.Load(_dir);
        var ids = tensor(new long[] { 1, 4, 9, 16, 25 }, [1, 5]);
        var pos = arange(5).unsqueeze(0);
        Assert.True(model.Forward(ids, pos).eq(loaded.Forward(ids, pos)).all().item<bool>());

        File.Delete(Path.Combine(_dir, "model-00002-of-00002.safetensors"));
        Assert.Contains("model-00002-of-00002.safetensors", Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(_dir)).Message);
    }

    [Fact]
    public void Bfloat16CheckpointLoadsAsItsRoundedWeights()
    {
        using var scope = NewDisposeScope();
        var config = DecoderFamilyTests.Small(DecoderFamily.Qwen3);
        var bf16 = RandomDecoderWeights.Create(config, 12).ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.BFloat16));
        File.WriteAllText(Path.Combine(_dir, "config.json"), config.ToJson());
        SafetensorsWriter.Save(Path.Combine(_dir, "model.safetensors"), bf16);
        using var loaded = HfCheckpoint.Load(_dir);
        Assert.Equal(ScalarType.Float32, loaded.DType);
        using var expected = new DecoderModel(config, bf16.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32)));
        var ids = tensor(new long[] { 1, 4, 9 }, [1, 3]);
        var pos = arange(3).unsqueeze(0);
        Assert.True(expected.Forward(ids, pos).eq(loaded.Forward(ids, pos)).all().item<bool>());
    }
}
