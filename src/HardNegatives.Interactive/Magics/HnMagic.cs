namespace HardNegatives.Interactive.Magics;

/// <summary>
/// One <c>#!hn-…</c> magic: its name, help, options (kebab-case, without dashes; <see cref="Implicit"/> may also be given
/// without its name, as the first argument) and what it does with the parsed arguments.
/// </summary>
public sealed record HnMagic(string Name, string Description, string? Implicit, IReadOnlyList<string> Options,
    Func<MagicArguments, IMagicHost, Task> RunAsync);
