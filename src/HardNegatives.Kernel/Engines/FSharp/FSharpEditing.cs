using FSharp.Compiler.CodeAnalysis;
using FSharp.Compiler.Diagnostics;
using FSharp.Compiler.EditorServices;
using FSharp.Compiler.Interactive;
using FSharp.Compiler.Tokenization;
using HardNegatives.Kernel.Engine;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;

namespace HardNegatives.Kernel.Engines.FSharp;

/// <summary>
/// Completion, tooltips and <c>is_complete</c> for F# cells, from FCS's parse and check of the cell in the session's
/// context (so names bound by earlier cells complete too).
/// </summary>
sealed class FSharpEditing(Shell.FsiEvaluationSession session)
{
    public CompletionResult Complete(string code, int cursor)
    {
        var (line, column, lineText) = Position(code, cursor);
        var (parse, check, _) = session.ParseAndCheckInteraction(code, null).ToValueTuple();
        var partial = QuickParse.GetPartialLongNameEx(lineText, column - 1);
        var declarations = check.GetDeclarationListInfo(FSharpOption<FSharpParseFileResults>.Some(parse), line, lineText, partial, null, null, null);
        var prefix = partial.PartialIdent;
        var matches = declarations.Items.Select(i => i.NameInCode)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new CompletionResult(matches, cursor - prefix.Length, cursor);
    }

    public string? Inspect(string code, int cursor)
    {
        var (line, column, lineText) = Position(code, cursor);
        var island = QuickParse.GetCompleteIdentifierIsland(true, lineText, column);
        if (island is null) return null;
        var (identifier, end, _) = island.Value.ToValueTuple();
        var (_, check, _) = session.ParseAndCheckInteraction(code, null).ToValueTuple();
        var names = ListModule.OfSeq(identifier.Split('.'));
        var tip = check.GetToolTip(line, end, lineText, names, FSharpTokenTag.Identifier, null);
        var text = string.Join("\n\n", tip.Item.SelectMany(element => element is ToolTipElement.Group g ? g.elements : FSharpList<ToolTipElementData>.Empty)
            .Select(data => data.MainDescription.Text));
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>
    /// Complete when the cell parses; incomplete when the parser ran out of input (an open bracket, a <c>let f x =</c>
    /// awaiting its body); invalid for any other syntax error (the front end runs it and shows the error).
    /// </summary>
    public CodeCompleteness IsComplete(string code)
    {
        if (string.IsNullOrWhiteSpace(code)) return CodeCompleteness.Complete;
        var (parse, _, _) = session.ParseAndCheckInteraction(code, null).ToValueTuple();
        var errors = parse.Diagnostics.Where(d => d.Severity == FSharpDiagnosticSeverity.Error).ToList();
        if (errors.Count == 0) return CodeCompleteness.Complete;
        // The parser ran out of input: it says so, or it stopped at the end of the text.
        var text = code.TrimEnd();
        var lines = text.Split('\n');
        var atEnd = errors.Any(e => e.Message.Contains("end of input", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("Incomplete", StringComparison.Ordinal) || e.Message.StartsWith("Unmatched", StringComparison.Ordinal)
            || e.StartLine > lines.Length || (e.StartLine == lines.Length && e.StartColumn >= lines[^1].TrimEnd().Length));
        if (!atEnd) return CodeCompleteness.Invalid;
        var last = lines[^1];
        var indent = new string(' ', last.Length - last.TrimStart().Length);
        return CodeCompleteness.Incomplete(last.TrimEnd().EndsWith('=') || last.TrimEnd().EndsWith("->") ? indent + "    " : indent);
    }

    /// <summary>1-based line, 0-based column and the text of the line holding <paramref name="cursor"/>.</summary>
    static (int Line, int Column, string LineText) Position(string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var before = code[..cursor];
        var line = before.Count(c => c == '\n') + 1;
        var lineStart = before.LastIndexOf('\n') + 1;
        var lineEnd = code.IndexOf('\n', cursor);
        var lineText = code[lineStart..(lineEnd < 0 ? code.Length : lineEnd)].TrimEnd('\r');
        return (line, cursor - lineStart, lineText);
    }
}
