using System.Text.Json.Nodes;
using HardNegatives.Kernel.KernelSpecs;
using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Tests.Kernel;

/// <summary>Connection files (what Jupyter hands the kernel) and kernelspecs (what the kernel hands Jupyter), without Jupyter.</summary>
public class KernelSpecAndConnectionTests
{
    static string Temp(string name, string text)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hn-kernel-unit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ConnectionFile_IsRead_AndBindsOnlyItsAddress()
    {
        // As jupyter_client writes it (its own fields, plus kernel_name).
        var path = Temp("kernel-1.json", """
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "ip": "127.0.0.1",
             "key": "a0436f6c-1916-498b", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "hardnegatives-csharp"}
            """);
        var info = ConnectionInfo.Load(path);
        Assert.Equal("a0436f6c-1916-498b", info.Key);
        Assert.Equal("tcp://127.0.0.1:5004", info.Endpoint(info.ControlPort));
        Assert.Equal("tcp://127.0.0.1:5005", info.Endpoint(info.HeartbeatPort));
    }

    [Theory]
    [InlineData("""{"transport": "ipc", "ip": "kernel", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-sha256"}""", "transport 'ipc'")]
    [InlineData("""{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-md5"}""", "hmac-md5")]
    [InlineData("""{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 0, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-sha256"}""", "shell_port 0")]
    [InlineData("not json", "not a Jupyter connection file")]
    public void ConnectionFile_ThatTheKernelCannotHonour_IsRefused_NamingTheFileAndValue(string json, string expected)
    {
        var path = Temp("bad.json", json);
        var error = Assert.Throws<InvalidDataException>(() => ConnectionInfo.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Install_WritesKernelJsonAndLogos_ForBothLanguages_AndRemoveDeletesThem()
    {
        var dataDir = Path.GetDirectoryName(Temp("marker", ""))!;
        var folders = KernelSpecStore.Install(dataDir, ["/opt/hn/hn"]);
        Assert.Equal(2, folders.Count);
        var csharp = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(dataDir, "kernels", "hardnegatives-csharp", "kernel.json")))!;
        Assert.Equal("C# (HardNegatives)", (string?)csharp["display_name"]);
        Assert.Equal("C#", (string?)csharp["language"]);
        Assert.Equal("message", (string?)csharp["interrupt_mode"]);
        Assert.Equal(["/opt/hn/hn", "kernel", "run", "--language", "csharp", "--connection-file", "{connection_file}"], ((JsonArray)csharp["argv"]!).Select(a => (string)a!));
        var fsharp = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(dataDir, "kernels", "hardnegatives-fsharp", "kernel.json")))!;
        Assert.Equal("F#", (string?)fsharp["language"]);
        foreach (var size in new[] { 32, 64 })
        {
            var png = File.ReadAllBytes(Path.Combine(dataDir, "kernels", "hardnegatives-csharp", $"logo-{size}x{size}.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
            Assert.Equal(size, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]); // IHDR width
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(dataDir, "kernels"), "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(2, KernelSpecStore.Remove(dataDir).Count);
        Assert.False(Directory.Exists(Path.Combine(dataDir, "kernels", "hardnegatives-csharp")));
    }

    [Fact]
    public void CurrentHnCommand_NamesHnDll_WhenRunThroughDotnet()
    {
        var command = KernelSpec.CurrentHnCommand("hn.dll");
        Assert.True(Path.IsPathRooted(command[0]));
        // The test host runs under dotnet, as `dotnet hn.dll` does.
        Assert.Equal(Path.GetFullPath("hn.dll"), command[^1]);
    }
}
