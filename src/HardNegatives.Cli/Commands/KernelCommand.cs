using System.CommandLine;
using HardNegatives.Kernel;
using HardNegatives.Kernel.KernelSpecs;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn kernel install|list|remove|run</c>: the kit's own Jupyter kernels for C# and F# (hardnegatives-csharp, hardnegatives-fsharp).</summary>
static class KernelCommand
{
    public static Command Create()
    {
        var kernel = new Command("kernel", "The kit's own Jupyter kernels (C# and F#, the kit built in) for VS Code's Jupyter extension, JupyterLab and nbconvert.");
        kernel.Subcommands.Add(Install());
        kernel.Subcommands.Add(List());
        kernel.Subcommands.Add(Remove());
        kernel.Subcommands.Add(Run());
        return kernel;
    }

    sealed record Where(Option<bool> User, Option<bool> SysPrefix, Option<string?> Prefix)
    {
        public static Where Options() => new(
            new Option<bool>("--user") { Description = "The user's Jupyter data folder (the default)." },
            new Option<bool>("--sys-prefix") { Description = "The active Python environment (conda, virtualenv) that runs Jupyter." },
            new Option<string?>("--prefix") { Description = "PREFIX/share/jupyter (then run Jupyter with JUPYTER_PATH=PREFIX/share/jupyter)." });

        public void AddTo(Command command)
        {
            command.Options.Add(User);
            command.Options.Add(SysPrefix);
            command.Options.Add(Prefix);
        }

        public string DataDir(ParseResult parse)
        {
            var prefix = parse.GetValue(Prefix);
            var chosen = (parse.GetValue(User) ? 1 : 0) + (parse.GetValue(SysPrefix) ? 1 : 0) + (prefix is null ? 0 : 1);
            if (chosen > 1) throw new ArgumentException("choose one of --user, --sys-prefix, --prefix DIR");
            return prefix is not null ? KernelSpecStore.PrefixDataDir(prefix)
                : parse.GetValue(SysPrefix) ? KernelSpecStore.PrefixDataDir(KernelSpecStore.SysPrefix())
                : KernelSpecStore.UserDataDir();
        }
    }

    static Command Install()
    {
        var where = Where.Options();
        var install = new Command("install", "Write the kernelspecs hardnegatives-csharp and hardnegatives-fsharp; they start this hn (absolute path), so reinstall after moving it.");
        where.AddTo(install);
        install.SetAction(parse =>
        {
            var hn = KernelSpec.CurrentHnCommand(typeof(KernelCommand).Assembly.Location);
            foreach (var folder in KernelSpecStore.Install(where.DataDir(parse), hn)) Console.WriteLine($"installed {folder}");
            Console.WriteLine($"they run: {string.Join(' ', hn)} kernel run …; pick \"C# (HardNegatives)\" or \"F# (HardNegatives)\" in the front end");
        });
        return install;
    }

    static Command List()
    {
        var list = new Command("list", "Where the kit's kernelspecs are installed (JUPYTER_PATH, the user's folder, the system's).");
        list.SetAction(_ =>
        {
            var found = KernelSpecStore.Find();
            if (found.Count == 0) Console.WriteLine("no HardNegatives kernelspec found; run: hn kernel install");
            foreach (var (name, folder) in found) Console.WriteLine($"{name,-22} {folder}");
        });
        return list;
    }

    static Command Remove()
    {
        var where = Where.Options();
        var remove = new Command("remove", "Remove the kit's kernelspecs from the chosen folder (default: the user's).");
        where.AddTo(remove);
        remove.SetAction(parse =>
        {
            var dataDir = where.DataDir(parse);
            var removed = KernelSpecStore.Remove(dataDir);
            if (removed.Count == 0) Console.WriteLine($"no HardNegatives kernelspec in {Path.Combine(dataDir, "kernels")}");
            foreach (var folder in removed) Console.WriteLine($"removed {folder}");
        });
        return remove;
    }

    static Command Run()
    {
        var language = new Option<string>("--language") { Description = "csharp or fsharp.", Required = true };
        language.AcceptOnlyFromAmong("csharp", "fsharp");
        var connection = new Option<string>("--connection-file") { Description = "The connection file Jupyter writes (ports, key).", Required = true };
        var run = new Command("run", "Run a kernel (Jupyter starts this through the kernelspec; you do not need to).") { language, connection };
        run.SetAction((parse, cancellationToken) => KernelHost.RunAsync(parse.GetValue(language)!, parse.GetValue(connection)!, cancellationToken));
        return run;
    }
}
