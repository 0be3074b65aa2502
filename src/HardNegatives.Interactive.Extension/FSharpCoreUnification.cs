using System.Reflection;
using System.Runtime.Loader;

namespace HardNegatives.Interactive.Extension;

/// <summary>
/// Plotly.NET 6.0 (the only version served here) and the kit were compiled against FSharp.Core 10.1, while the .NET
/// Interactive kernel 1.0.712001 ships FSharp.Core 10.0 on its trusted path, so the first chart fails with "Could not load
/// FSharp.Core, Version=10.1.0.0". Inside the kernel only, this binds such requests to the kernel's own FSharp.Core (same
/// major version), as a binding redirect would; the charts the notebooks draw are checked in the real-kernel tests.
/// </summary>
static class FSharpCoreUnification
{
    static int installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        if (requested.Name != "FSharp.Core") return null;
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            ?? context.LoadFromAssemblyName(new AssemblyName("FSharp.Core"));
        return loaded.GetName().Version?.Major == requested.Version?.Major ? loaded : null;
    }
}
