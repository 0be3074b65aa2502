using System.Xml.Linq;
using HardNegatives.Kernel.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>
/// <c>complete</c> and <c>inspect</c> for C# cells from Roslyn's semantic model of the cell as a submission that follows the
/// earlier cells (so their variables and types are known): members after a dot, else every symbol in scope.
/// </summary>
static class CSharpCompletion
{
    public static CompletionResult Complete(Compilation compilation, string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var prefix = code[start..cursor];
        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        IEnumerable<ISymbol> symbols;
        if (start > 0 && code[start - 1] == '.' && Container(model, tree.GetRoot().FindToken(start - 1).Parent) is { } container)
            symbols = container.IsType
                ? model.LookupStaticMembers(start, (INamespaceOrTypeSymbol)container.Symbol)
                : model.LookupSymbols(start, (ITypeSymbol)container.Symbol, includeReducedExtensionMethods: true);
        else
            symbols = model.LookupSymbols(start);
        var matches = symbols.Where(s => s.CanBeReferencedByName && s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        return new CompletionResult(matches, start, cursor);
    }

    /// <summary>What is left of the dot: a value (its type's members) or a type or namespace (its static members).</summary>
    static (ISymbol Symbol, bool IsType)? Container(SemanticModel model, SyntaxNode? dotParent)
    {
        var left = dotParent switch
        {
            MemberAccessExpressionSyntax access => access.Expression,
            QualifiedNameSyntax qualified => qualified.Left,
            _ => null,
        };
        if (left is null) return null;
        if (model.GetSymbolInfo(left).Symbol is INamespaceOrTypeSymbol named) return (named, true);
        return model.GetTypeInfo(left).Type is { } type ? (type, false) : null;
    }

    public static string? Inspect(Compilation compilation, int cursor, int detailLevel)
    {
        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        var text = tree.GetText().ToString();
        cursor = Math.Clamp(cursor, 0, text.Length);
        // The identifier under the cursor, or the one just before it (the cursor usually sits after the name).
        var token = root.FindToken(Math.Max(0, cursor - 1));
        if (!token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken) && cursor < text.Length) token = root.FindToken(cursor);
        if (token.Parent is not { } node) return null;
        var info = model.GetSymbolInfo(node);
        var symbols = info.Symbol is { } one ? [one] : info.CandidateSymbols.ToList();
        if (symbols.Count == 0 && model.GetDeclaredSymbol(node) is { } declared) symbols = [declared];
        if (symbols.Count == 0 && model.GetTypeInfo(node).Type is { } type) symbols = [type];
        if (symbols.Count == 0) return null;
        var lines = symbols.Select(s => s.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)).ToList();
        if (Summary(symbols[0]) is { } summary) lines.AddRange(["", summary]);
        if (detailLevel > 0 && symbols[0].GetDocumentationCommentXml() is { Length: > 0 } xml) lines.AddRange(["", xml.Trim()]);
        return string.Join("\n", lines);
    }

    /// <summary>The &lt;summary&gt; of a symbol's XML documentation, as plain text.</summary>
    static string? Summary(ISymbol symbol)
    {
        var xml = symbol.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = XElement.Parse(xml).Element("summary");
            if (summary is null) return null;
            // <see cref="T:System.String"/> → String, <paramref name="x"/> → x
            foreach (var reference in summary.Descendants().Where(e => e.IsEmpty).ToList())
                reference.ReplaceWith(((string?)reference.Attribute("cref"))?.Split('(')[0].Split(':', '.').Last() ?? (string?)reference.Attribute("name") ?? "");
            return string.Join(" ", summary.Value.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}
