using TorchSharp;
using static TorchSharp.torch;

namespace HardNegatives.Models;

/// <summary>Runs a stack of transformer layers, disposing each intermediate activation as soon as the next one exists.</summary>
static class LayerStack
{
    public static Tensor Forward<TLayer>(IEnumerable<TLayer> layers, Tensor x, Tensor? additiveMask)
        where TLayer : nn.Module<Tensor, Tensor?, Tensor>
    {
        var h = x;
        foreach (var layer in layers)
        {
            var next = layer.forward(h, additiveMask);
            if (!ReferenceEquals(h, x)) h.Dispose(); // never the caller's input
            h = next;
        }
        return h;
    }
}
