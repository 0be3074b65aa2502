using System.Globalization;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>An assembly's XML documentation file (read on first use), so <c>inspect</c> can show a symbol's summary.</summary>
sealed class XmlDocumentation(string path) : DocumentationProvider
{
    readonly Lazy<Dictionary<string, string>> members = new(() => Load(path));

    static Dictionary<string, string> Load(string path)
    {
        try
        {
            return XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .GroupBy(m => (string)m.Attribute("name")!)
                .ToDictionary(g => g.Key, g => g.First().ToString());
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            return [];
        }
    }

    protected override string? GetDocumentationForSymbol(string documentationMemberID, CultureInfo preferredCulture, CancellationToken cancellationToken = default) =>
        members.Value.GetValueOrDefault(documentationMemberID);

    public override bool Equals(object? obj) => obj is XmlDocumentation other && other.Path == Path;

    public override int GetHashCode() => Path.GetHashCode(StringComparison.Ordinal);

    string Path => path;
}
