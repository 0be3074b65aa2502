namespace HardNegatives.Interactive.Magics;

/// <summary><c>#!hn-reproduce experiments/quickstart [--store DIR] [--name experiment]</c></summary>
/// <param name="Store">Artifact store; default <c>$HN_HOME/store</c>.</param>
public sealed record ReproduceMagic(string Spec, string? Store = null, string Name = "experiment")
{
    public static ReproduceMagic From(MagicArguments a) =>
        new(a.Required("spec", "e.g. experiments/quickstart"), a.String("store"), a.String("name") ?? "experiment");

    public async Task RunAsync(IMagicHost host)
    {
        var result = await Hn.Reproduce(Spec, Store, cancellationToken: host.CancellationToken);
        await host.ShowAndKeepAsync(Name, result);
    }
}
