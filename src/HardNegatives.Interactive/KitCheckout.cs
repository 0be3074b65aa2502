namespace HardNegatives.Interactive;

/// <summary>
/// Finds files of the kit's source checkout (experiment specs under <c>experiments/</c>) from a notebook, whose working
/// directory differs between Polyglot Notebooks (the notebook's folder), the headless runner and tests (a bin folder).
/// </summary>
public static class KitCheckout
{
    /// <summary>
    /// The path of <paramref name="relativePath"/> (e.g. <c>experiments/table1-mini</c>) in the nearest folder above the
    /// working directory or the kit's assemblies that contains it.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file or folder above either start.</exception>
    public static string Find(string relativePath)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = Path.GetFullPath(start); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, relativePath);
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"'{relativePath}' was not found above '{Environment.CurrentDirectory}' or '{AppContext.BaseDirectory}'; run the notebook from the kit's checkout.", relativePath);
    }
}
