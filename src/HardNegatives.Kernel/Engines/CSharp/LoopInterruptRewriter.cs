using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HardNegatives.Kernel.Engines.CSharp;

/// <summary>
/// Puts <c>CellInterrupt.ThrowIfRequested();</c> first in every loop body (while, do, for, foreach) of a cell. The check
/// goes on the line of the body's first token, so line numbers in errors and stack traces do not move.
/// </summary>
sealed class LoopInterruptRewriter : CSharpSyntaxRewriter
{
    static readonly StatementSyntax Check = SyntaxFactory.ParseStatement($"global::{typeof(CellInterrupt).FullName}.{nameof(CellInterrupt.ThrowIfRequested)}();");

    /// <summary>The cell's code with the loop checks, or the code unchanged when it has no loop.</summary>
    public static string Rewrite(string code, CSharpParseOptions options)
    {
        var root = CSharpSyntaxTree.ParseText(code, options).GetRoot();
        if (!root.DescendantNodes().Any(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax)) return code;
        return new LoopInterruptRewriter().Visit(root).ToFullString();
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) => Guard((WhileStatementSyntax)base.VisitWhileStatement(node)!);

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) => Guard((DoStatementSyntax)base.VisitDoStatement(node)!);

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) => Guard((ForStatementSyntax)base.VisitForStatement(node)!);

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) => Guard((ForEachStatementSyntax)base.VisitForEachStatement(node)!);

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node) => Guard((ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!);

    static SyntaxNode Guard(WhileStatementSyntax loop) => loop.WithStatement(Guard(loop.Statement));
    static SyntaxNode Guard(DoStatementSyntax loop) => loop.WithStatement(Guard(loop.Statement));
    static SyntaxNode Guard(ForStatementSyntax loop) => loop.WithStatement(Guard(loop.Statement));
    static SyntaxNode Guard(CommonForEachStatementSyntax loop) => loop.WithStatement(Guard(loop.Statement));

    static StatementSyntax Guard(StatementSyntax body) =>
        body is BlockSyntax block ? block.WithStatements(block.Statements.Insert(0, Check)) : SyntaxFactory.Block(Check, body);
}
