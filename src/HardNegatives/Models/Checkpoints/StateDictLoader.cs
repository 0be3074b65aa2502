using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models.Checkpoints;

/// <summary>What a checkpoint load did: tensors copied, the name prefix stripped (e.g. <c>distilbert.</c>), task heads ignored.</summary>
public sealed record CheckpointLoadReport(int Loaded, string Prefix, IReadOnlyList<string> Ignored);

/// <summary>
/// Copies a safetensors checkpoint into a module by parameter name with shape checks. Names may carry one base-model prefix
/// (<c>distilbert.</c>, <c>bert.</c>) as in task checkpoints such as DistilBertForMaskedLM; tensors outside that prefix (task heads)
/// and <c>position_ids</c> buffers are ignored and listed. Missing, unexpected and mis-shaped tensors are all named in one error.
/// Values are converted to each parameter's dtype and device.
/// </summary>
public static class StateDictLoader
{
    static readonly string[] Prefixes = ["", "distilbert.", "bert.", "model."];

    public static CheckpointLoadReport Load(nn.Module module, SafetensorsCheckpoint checkpoint)
    {
        var targets = module.named_parameters().Select(p => (p.name, Tensor: (Tensor)p.parameter))
            .Concat(module.named_buffers().Select(b => (b.name, Tensor: b.buffer))).ToList();
        var names = checkpoint.Names.ToHashSet(StringComparer.Ordinal);
        var prefix = Prefixes.OrderByDescending(p => targets.Count(t => names.Contains(p + t.name))).First();

        var missing = new List<string>();
        var misShaped = new List<string>();
        foreach (var (name, target) in targets)
        {
            var source = prefix + name;
            if (!names.Contains(source)) { missing.Add(source); continue; }
            var shape = checkpoint.Entry(source).Shape;
            if (!shape.SequenceEqual(target.shape)) misShaped.Add($"{source} [{string.Join(",", shape)}] vs model [{string.Join(",", target.shape)}]");
        }
        var consumed = targets.Select(t => prefix + t.name).ToHashSet(StringComparer.Ordinal);
        var rest = names.Where(n => !consumed.Contains(n)).Order(StringComparer.Ordinal).ToList();
        bool Ignorable(string n) => n.EndsWith("position_ids", StringComparison.Ordinal) || (prefix.Length > 0 && !n.StartsWith(prefix, StringComparison.Ordinal));
        var ignored = rest.Where(Ignorable).ToList();
        var unexpected = rest.Where(n => !Ignorable(n)).ToList();

        if (missing.Count + misShaped.Count + unexpected.Count > 0)
        {
            static string List(string label, List<string> items) =>
                items.Count == 0 ? "" : $"\n  {label} ({items.Count}): {string.Join(", ", items.Take(20))}{(items.Count > 20 ? ", …" : "")}";
            throw new InvalidDataException(
                $"{checkpoint.Source} does not fit {module.GetName()} (name prefix '{prefix}'):" + List("missing", missing) + List("mis-shaped", misShaped)
                + List("unexpected", unexpected) + "\n  check that config.json matches the weights and that this is the right model class.");
        }

        using (no_grad())
            foreach (var (name, target) in targets)
            {
                using var scope = NewDisposeScope();
                target.copy_(checkpoint.Read(prefix + name));
            }
        return new CheckpointLoadReport(targets.Count, prefix, ignored);
    }

    /// <summary>The tensors to save for <paramref name="module"/>: parameters and buffers by name.</summary>
    public static Dictionary<string, Tensor> StateTensors(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, Tensor: (Tensor)p.parameter))
            .Concat(module.named_buffers().Select(b => (b.name, Tensor: b.buffer)))
            .ToDictionary(t => t.name, t => t.Tensor, StringComparer.Ordinal);
}
