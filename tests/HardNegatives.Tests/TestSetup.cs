using System.Runtime.CompilerServices;

namespace HardNegatives.Tests;

static class TestSetup
{
    /// <summary>Tests may call TorchSharp before touching any library type; apply the loader fix first.</summary>
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Init() => HardNegatives.Native.TorchRuntime.EnsureLoadable();
}
