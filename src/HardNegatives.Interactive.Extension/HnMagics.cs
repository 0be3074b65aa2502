using System.Globalization;
using HardNegatives.Interactive.Magics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Directives;

namespace HardNegatives.Interactive.Extension;

/// <summary>
/// Adds the kit's magics (<see cref="HnMagicCatalog"/>) to a .NET Interactive kernel: the kernel parses each directive into
/// its command type (<see cref="HnMine"/> etc.), and the command's options run the shared magic through
/// <see cref="DotNetInteractiveMagicHost"/>. No magic logic lives here.
/// </summary>
public static class HnMagics
{
    public static void AddTo(Kernel kernel)
    {
        Add<HnMine>(kernel, "#!hn-mine");
        Add<HnGenerate>(kernel, "#!hn-generate");
        Add<HnSearch>(kernel, "#!hn-search");
        Add<HnTrain>(kernel, "#!hn-train");
        Add<HnEval>(kernel, "#!hn-eval");
        Add<HnReproduce>(kernel, "#!hn-reproduce");
    }

    static void Add<T>(Kernel kernel, string name) where T : KernelCommand
    {
        var magic = HnMagicCatalog.Find(name);
        KernelCommandEnvelope.RegisterCommand<T>();
        var directive = new KernelActionDirective(name) { Description = magic.Description, KernelCommandType = typeof(T) };
        if (magic.Implicit is { } implicitOption) directive.Parameters.Add(new KernelDirectiveParameter("--" + implicitOption) { AllowImplicitName = true });
        foreach (var option in magic.Options) directive.Parameters.Add(new KernelDirectiveParameter("--" + option));
        kernel.AddDirective<T>(directive, (command, context) => magic.RunAsync(Arguments(magic, command), new DotNetInteractiveMagicHost(kernel, context)));
    }

    /// <summary>The bound command's properties (<c>--num-negatives</c> → <c>NumNegatives</c>) as the shared layer's arguments.</summary>
    internal static MagicArguments Arguments(HnMagic magic, KernelCommand command)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in (magic.Implicit is { } i ? [i] : Array.Empty<string>()).Concat(magic.Options))
        {
            var property = command.GetType().GetProperty(PropertyName(option))
                ?? throw new InvalidOperationException($"{command.GetType().Name} has no property {PropertyName(option)} for {magic.Name} --{option}");
            if (property.GetValue(command) is { } value) values[option] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }
        return new MagicArguments(magic.Name, values);
    }

    internal static string PropertyName(string option) =>
        string.Concat(option.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
