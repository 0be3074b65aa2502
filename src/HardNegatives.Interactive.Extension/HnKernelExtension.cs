using HardNegatives.Interactive.Facade;
using HardNegatives.Native;
using Microsoft.DotNet.Interactive;

namespace HardNegatives.Interactive.Extension;

/// <summary>
/// The kit's .NET Interactive kernel extension, loaded by the kernel from the HardNegatives.Interactive package
/// (<c>interactive-extensions/dotnet</c>) after <c>#r "nuget: HardNegatives.Interactive, 0.1.0"</c>: registers the kit's
/// formatters (process-wide, so for C# and F# cells alike), makes TorchSharp and Plotly.NET loadable, routes the facade's live progress
/// to the running cell, and adds the <c>#!hn-…</c> magic commands to every language kernel.
/// </summary>
public sealed class HnKernelExtension : IKernelExtension
{
    public Task OnLoadAsync(Kernel kernel)
    {
        FSharpCoreUnification.Install();
        KitFormatters.Register();
        try { TorchRuntime.EnsureLoadable(); }
        catch (Exception e) { KernelInvocationContext.Current?.DisplayAs($"warning: TorchSharp fix: {e.Message}", "text/plain"); }
        HnDisplay.Show = value => KernelInvocationContext.Current?.Display(value);
        var root = kernel.RootKernel;
        var targets = root is CompositeKernel composite ? composite.ChildKernels.Where(k => k.Name is "csharp" or "fsharp").ToList() : [kernel];
        foreach (var target in targets)
            HnMagics.AddTo(target);
        return Task.CompletedTask;
    }
}
