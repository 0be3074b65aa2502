// Writes a small safetensors file with TorchSharp.PyBridge's writer (not the kit's), for the kit's reader to be tested on.
// Values are simple closed forms, so the test can state them without this program.
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

HardNegatives.Native.TorchRuntime.EnsureLoadable();
var output = args.Length > 0 ? args[0] : "pybridge.safetensors";
var state = new Dictionary<string, Tensor>
{
    ["encoder.weight"] = arange(0, 6, dtype: float32).reshape(2, 3) * 0.5f - 1f, // [[-1, -0.5, 0], [0.5, 1, 1.5]]
    ["encoder.bias"] = tensor(new[] { 0.25f, -0.125f, 3.0f }),
    ["half"] = tensor(new[] { 1.0f, -2.5f, 0.0009765625f, 65504f }).to(float16),
    ["bhalf"] = tensor(new[] { 1.0f, -2.5f, 0.0078125f, 3.0e38f }).to(bfloat16),
    ["position_ids"] = arange(0, 5, dtype: int64).reshape(1, 5),
};
Safetensors.SaveStateDict(output, state);
Console.WriteLine($"wrote {output}");
