using HardNegatives.Kernel.Execution;
using HardNegatives.Kernel.Protocol;

namespace HardNegatives.Kernel;

/// <summary>What <c>hn kernel run</c> does: read the connection file, route the console to the cells, serve until shutdown.</summary>
public static class KernelHost
{
    /// <summary>Runs a kernel for <paramref name="language"/>; returns when the front end shuts it down (or restarts it).</summary>
    public static async Task RunAsync(string language, string connectionFile, CancellationToken cancellationToken, EngineCatalog? catalog = null)
    {
        var connection = ConnectionInfo.Load(connectionFile);
        await using var engine = (catalog ?? EngineCatalog.Default).Create(language);
        var log = CellConsole.Install();
        if (connection.Key.Length == 0) log.WriteLine("[hn kernel] the connection file has no key: messages are not signed (anyone who can reach the ports can run code)");
        await using var server = new KernelServer(connection, engine, log);
        await server.RunAsync(cancellationToken);
    }
}
