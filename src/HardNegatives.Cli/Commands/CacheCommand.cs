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

    /// <summary>
    /// One line for listings (<c>hn data list</c>, <c>hn data stats</c>): stale temporaries of killed runs under
    /// <paramref name="roots"/>, with their size and how to remove them.
    /// </summary>
    internal static string LeftoversLine(IEnumerable<string> roots)
    {
        var searched = roots.Select(Path.GetFullPath).Distinct().ToList();
        var stale = searched.SelectMany(StaleTemporaries.Find).Distinct().ToList();
        return stale.Count == 0
            ? "leftovers  none (no temporaries of killed runs)"
            : $"leftovers  {stale.Count} stale temporar{(stale.Count == 1 ? "y" : "ies")} of killed runs ({stale.Sum(StaleTemporaries.SizeOf):N0} bytes) under " +
              $"{string.Join(", ", searched.Where(Directory.Exists))}; hn cache clean{string.Concat(searched.Where(r => !IsUnder(r, KitPaths.Home)).Select(r => $" --path {r}"))} removes them";
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or inside it (hn cache clean always searches HN_HOME).</summary>
    static bool IsUnder(string path, string root)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(path));
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
