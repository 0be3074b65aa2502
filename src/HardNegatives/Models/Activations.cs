using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HardNegatives.Models;

/// <summary>The feed-forward activations of Hugging Face's ACT2FN that BERT-family checkpoints name in config.json.</summary>
public static class Activations
{
    static readonly string[] Known = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"];

    public static void Check(string name)
    {
        if (!Known.Contains(name)) throw new InvalidDataException($"activation '{name}' is not supported; use one of {string.Join(", ", Known)}");
    }

    /// <summary>gelu: exact x·Φ(x) with erf; gelu_new/gelu_pytorch_tanh: the tanh approximation; relu.</summary>
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => F.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" => GeluTanh(x),
        "relu" => F.relu(x),
        _ => throw new NotSupportedException($"activation '{name}' is not supported"),
    };

    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), HF's NewGELUActivation.
    static Tensor GeluTanh(Tensor x)
    {
        using var cube = x.pow(3);
        using var inner = (x + cube * 0.044715) * Math.Sqrt(2.0 / Math.PI);
        using var t = inner.tanh();
        return x * 0.5 * (t + 1.0);
    }
}
