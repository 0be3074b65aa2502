using HardNegatives.Data;
using HardNegatives.Native;

namespace HardNegatives.Tests.Native;

/// <summary>
/// TorchSharp loaded from its NuGet package (a notebook kernel): the kit finds the package's glue library and patches a
/// private copy, never the shared one. (The kernel path itself runs in the real-kernel notebook tests: 03, 05, 06, 07.)
/// </summary>
public class PrivateGlueCopyTests
{
    [Fact]
    public void PackagedGlue_IsFoundFromAPackagesLibFolder_AndNotFromABinFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "hn-glue-" + Guid.NewGuid().ToString("N")[..8]);
        var lib = Path.Combine(root, "torchsharp", "0.107.0", "lib", "net6.0");
        var native = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(lib);
        Directory.CreateDirectory(native);
        File.WriteAllBytes(Path.Combine(native, "libLibTorchSharp.so"), [0x7f]);
        try
        {
            Assert.Equal(Path.Combine(native, "libLibTorchSharp.so"), PrivateGlueCopy.PackagedGlue(lib, "linux-x64"));
            Assert.Null(PrivateGlueCopy.PackagedGlue(AppContext.BaseDirectory, "linux-x64"));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void BundledData_IsFoundInThePackagesContentFiles_WhenNotBesideTheAssembly()
    {
        var root = Path.Combine(Path.GetTempPath(), "hn-pkg-" + Guid.NewGuid().ToString("N")[..8]);
        var lib = Path.Combine(root, "hardnegatives", "0.1.0", "lib", "net10.0");
        var content = Path.Combine(root, "hardnegatives", "0.1.0", "contentFiles", "any", "any", "hn-data");
        Directory.CreateDirectory(lib);
        Directory.CreateDirectory(content);
        try
        {
            Assert.Equal(content, KitPaths.BundledDataNextTo(lib));
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, "hn-data"), KitPaths.BundledDataNextTo(AppContext.BaseDirectory.TrimEnd('/')));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
