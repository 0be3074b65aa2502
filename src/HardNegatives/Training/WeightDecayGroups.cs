using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HardNegatives.Training;

/// <summary>
/// Splits a model's parameters into the two AdamW groups that sentence-transformers (via the Hugging Face Trainer's
/// <c>get_decay_parameter_names</c>) uses: biases and the weights of layer-norm modules get no weight decay, the rest do.
/// </summary>
public static class WeightDecayGroups
{
    /// <summary>Names of parameters that are decayed and that are not, in <c>named_parameters()</c> order.</summary>
    public static (IReadOnlyList<(string Name, Parameter Parameter)> Decay, IReadOnlyList<(string Name, Parameter Parameter)> NoDecay) Split(nn.Module module)
    {
        var normPrefixes = module.named_modules()
            .Where(m => m.Item2 is LayerNorm || m.Item1.Contains("layernorm", StringComparison.OrdinalIgnoreCase) || m.Item1.Contains("layer_norm", StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Item1 + ".").ToList();
        var decay = new List<(string, Parameter)>();
        var noDecay = new List<(string, Parameter)>();
        foreach (var (name, p) in module.named_parameters())
        {
            if (!p.requires_grad) continue;
            bool exempt = name.Contains("bias", StringComparison.Ordinal) || normPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
            (exempt ? noDecay : decay).Add((name, p));
        }
        return (decay, noDecay);
    }

    /// <summary>AdamW over the two groups (betas 0.9/0.999, eps 1e-8 as torch's and the HF Trainer's defaults).</summary>
    public static AdamW CreateAdamW(nn.Module module, double learningRate, double weightDecay)
    {
        var (decay, noDecay) = Split(module);
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay.Select(d => d.Parameter), learningRate, 0.9, 0.999, 1e-8, weightDecay, false, false),
        };
        if (noDecay.Count > 0) groups.Add(new(noDecay.Select(d => d.Parameter), learningRate, 0.9, 0.999, 1e-8, 0.0, false, false));
        return optim.AdamW(groups, learningRate, 0.9, 0.999, 1e-8, weightDecay, false, false);
    }
}
