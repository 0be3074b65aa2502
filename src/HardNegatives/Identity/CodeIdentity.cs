using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text;

namespace HardNegatives.Identity;

/// <summary>
/// The identity of the code behind a stage, derived automatically: SHA-256 over the IL of every method of every type in the
/// given namespaces (and their sub-namespaces) of the kit's assembly, with each metadata token in that IL replaced by the
/// name of what it points to, plus field declarations, constants and embedded resources. Editing a method in a namespace changes
/// its identity; editing code elsewhere does not (tokens are resolved to names, so shifted token numbers don't leak across).
/// Nobody has to remember to bump a version number.
/// </summary>
/// <remarks>
/// It identifies the kit's own code. Package code (Lucene.Net, TorchSharp) is identified by the package versions that
/// provenance records; a package update that changes results needs <c>--force</c> for the stage.
/// </remarks>
public static class CodeIdentity
{
    static readonly ConcurrentDictionary<string, string> Cache = new();
    static readonly Dictionary<short, OpCode> OneByte = new(), TwoByte = new();

    static CodeIdentity()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            if (op.Size == 1) OneByte[op.Value] = op;
            else TwoByte[(short)(op.Value & 0xff)] = op;
        }
    }

    /// <summary>Hex SHA-256 (24 characters) of the kit's code in <paramref name="namespaces"/> (each with its sub-namespaces;
    /// an entry may also name a single type).</summary>
    public static string Of(params string[] namespaces) => Of(typeof(CodeIdentity).Assembly, namespaces);

    /// <summary>The same for any assembly (tests use it on their own).</summary>
    public static string Of(Assembly assembly, params string[] namespaces)
    {
        var ordered = namespaces.Distinct().Order(StringComparer.Ordinal).ToArray();
        return Cache.GetOrAdd(assembly.FullName + "|" + string.Join(",", ordered), _ => Compute(assembly, ordered));
    }

    /// <summary>A type belongs when its namespace is one of <paramref name="scopes"/> (or below it), or when a scope names the
    /// type itself (e.g. <c>HardNegatives.Experiments.KitStages</c>, with its nested and compiler-generated types).</summary>
    static bool InScope(Type t, string[] scopes) => scopes.Any(n =>
        t.Namespace is { } ns && (ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal))
        || t.FullName is { } full && (full == n || full.StartsWith(n + "+", StringComparison.Ordinal)));

    static string Compute(Assembly assembly, string[] namespaces)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes().Where(t => InScope(t, namespaces)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            Add("type " + type.FullName + " : " + type.BaseType?.FullName);
            foreach (var f in type.GetFields(all).OrderBy(f => f.Name, StringComparer.Ordinal))
                Add("field " + f.FieldType.FullName + " " + f.Name + (f.IsLiteral ? " = " + Convert.ToString(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture) : ""));
            var methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all))
                .Select(m => (m, sig: m.ToString() ?? m.Name)).OrderBy(x => x.sig, StringComparer.Ordinal);
            foreach (var (method, sig) in methods)
            {
                Add("method " + sig);
                if (method.GetMethodBody()?.GetILAsByteArray() is { } il) Add(Resolve(il, method));
            }
        }
        foreach (var name in assembly.GetManifestResourceNames().Where(r => namespaces.Any(n => r.StartsWith(n + ".", StringComparison.Ordinal))).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            Add("resource " + name + " " + Convert.ToHexString(SHA256.HashData(stream)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }

    /// <summary>The IL as text: opcodes with their operands, tokens replaced by the names they resolve to.</summary>
    static string Resolve(byte[] il, MethodBase method)
    {
        var sb = new StringBuilder(il.Length * 3);
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            OpCode op;
            if (il[i] == 0xFE && i + 1 < il.Length) { op = TwoByte.GetValueOrDefault(il[i + 1], OpCodes.Nop); i += 2; }
            else { op = OneByte.GetValueOrDefault(il[i], OpCodes.Nop); i += 1; }
            sb.Append(op.Name).Append(' ');
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    sb.Append(il[i]); i += 1; break;
                case OperandType.InlineVar:
                    sb.Append(BitConverter.ToUInt16(il, i)); i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    sb.Append(BitConverter.ToInt64(il, i)); i += 8; break;
                case OperandType.InlineSwitch:
                    var n = BitConverter.ToInt32(il, i); i += 4;
                    for (int k = 0; k < n; k++) { sb.Append(BitConverter.ToInt32(il, i)).Append(','); i += 4; }
                    break;
                case OperandType.InlineString:
                    sb.Append('"').Append(SafeResolve(() => module.ResolveString(BitConverter.ToInt32(il, i)))).Append('"'); i += 4; break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i); i += 4;
                    sb.Append(SafeResolve(() => Describe(module.ResolveMember(token, typeArgs, methodArgs)))); break;
                case OperandType.InlineSig:
                    var sig = BitConverter.ToInt32(il, i); i += 4;
                    sb.Append(SafeResolve(() => Convert.ToHexString(module.ResolveSignature(sig)))); break;
                default: // InlineBrTarget, InlineI, ShortInlineR: 4 bytes of plain data
                    sb.Append(BitConverter.ToInt32(il, i)); i += 4; break;
            }
            sb.Append(';');
        }
        return sb.ToString();
    }

    static string Describe(MemberInfo? member) => member switch
    {
        null => "?",
        Type t => "T:" + (t.FullName ?? t.Name),
        _ => (member.DeclaringType?.FullName ?? "") + "::" + member,
    };

    static string SafeResolve(Func<string> resolve)
    {
        try { return resolve(); }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException) { return "?"; }
    }
}
