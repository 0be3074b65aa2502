using HardNegatives.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>Loads Hugging Face model folders (config.json + model.safetensors or a sharded index) into this kit's modules.</summary>
public static class ModelFolder
{
    /// <summary>A DistilBERT or BERT encoder by <c>model_type</c>; task-head weights in the checkpoint are ignored.</summary>
    public static ITransformerEncoder LoadEncoder(string folder, Device? device = null, ScalarType? dtype = null)
    {
        var configPath = ConfigPath(folder);
        var json = File.ReadAllText(configPath);
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        nn.Module model = HardNegatives.Models.ConfigJson.ModelType(configPath) switch
        {
            DistilBertConfig.ModelType => new DistilBertModel(DistilBertConfig.FromJson(json, configPath)),
            BertConfig.ModelType => new BertModel(BertConfig.FromJson(json, configPath),
                addPoolingLayer: checkpoint.Contains("pooler.dense.weight") || checkpoint.Contains("bert.pooler.dense.weight")),
            var other => throw new InvalidDataException($"{configPath}: model_type {other} is not supported (distilbert, bert)"),
        };
        StateDictLoader.Load(model, checkpoint);
        Place(model, device, dtype);
        return (ITransformerEncoder)model;
    }

    /// <summary>A BERT cross-encoder (<c>BertForSequenceClassification</c>).</summary>
    public static BertForSequenceClassification LoadSequenceClassifier(string folder, Device? device = null, ScalarType? dtype = null)
    {
        var configPath = ConfigPath(folder);
        if (HardNegatives.Models.ConfigJson.ModelType(configPath) != BertConfig.ModelType)
            throw new InvalidDataException($"{configPath}: cross-encoders must be BERT models (model_type bert)");
        var model = new BertForSequenceClassification(BertConfig.FromJson(File.ReadAllText(configPath), configPath));
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        StateDictLoader.Load(model, checkpoint);
        Place(model, device, dtype);
        return model;
    }

    static string ConfigPath(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{folder} has no config.json; is it a Hugging Face model folder?", path);
    }

    /// <summary>Moves to <paramref name="device"/> (default: CUDA if present, else CPU) and casts floating weights to <paramref name="dtype"/>.</summary>
    public static void Place(nn.Module model, Device? device, ScalarType? dtype)
    {
        var target = device ?? TorchDevices.Default;
        if (target.type != DeviceType.CPU) model.to(target);
        if (dtype is { } t && t != ScalarType.Float32) model.to(t);
        model.eval();
    }
}
