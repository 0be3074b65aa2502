using System.CommandLine;
using HardNegatives.Data;
using Spectre.Console;

namespace HardNegatives.Cli.Commands;

/// <summary><c>hn cache clean</c>: finds (and removes) temporaries that killed runs left in HN_HOME or a given folder.</summary>
static class CacheCommand
{
    public static Command Create()
    {
        var path = new Option<string[]>("--path") { Description = "Also look in this folder (e.g. where outputs go); repeatable. HN_HOME is always searched." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only count them." };
        var clean = new Command("clean", "Remove the temporaries (*.<pid>.<id>.tmp files and half-built index folders) of processes that no longer run.") { path, dryRun };
        clean.SetAction(parse =>
        {
            var roots = new[] { KitPaths.Home }.Concat(parse.GetValue(path) ?? []).Select(Path.GetFullPath).Distinct().ToList();
            var stale = roots.SelectMany(StaleTemporaries.Find).Distinct().ToList();
            var bytes = stale.Sum(StaleTemporaries.SizeOf);
            foreach (var s in stale) AnsiConsole.MarkupLine($"  {Markup.Escape(s)}");
            if (parse.GetValue(dryRun))
            {
                AnsiConsole.MarkupLine($"{stale.Count} stale temporaries ({bytes:N0} bytes) under {Markup.Escape(string.Join(", ", roots))}");
                return 0;
            }
            var removed = StaleTemporaries.Delete(stale);
            AnsiConsole.MarkupLine($"removed {removed} of {stale.Count} stale temporaries ({bytes:N0} bytes)");
            return removed == stale.Count ? 0 : 1;
        });
        return new Command("cache", "The kit's caches under HN_HOME.") { clean };
    }
}
