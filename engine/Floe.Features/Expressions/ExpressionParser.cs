using Floe.Core.Expressions;

namespace Floe.Features.Expressions;

/// <summary>
/// Parses feature expressions and filters with the one expression language (<see cref="ExpressionSyntax"/>), then
/// checks what only the feature engine knows: the functions it can call and how many arguments each takes.
/// </summary>
internal static class ExpressionParser
{
    /// <summary>The deepest an expression may nest (<see cref="ExpressionSyntax.MaxDepth"/>).</summary>
    public const int MaxDepth = ExpressionSyntax.MaxDepth;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ExpressionException"/> naming the offending position.</summary>
    public static Expr Parse(string text)
    {
        var e = ExpressionSyntax.Parse(text);
        CheckCalls(e);
        return e;
    }

    /// <summary>Collects the names of every column reference in <paramref name="e"/>.</summary>
    public static void CollectColumns(Expr e, HashSet<string> into) => ExprColumns.Collect(e, into);

    // Without recursion: the tree's depth is bounded, but its breadth is not.
    private static void CheckCalls(Expr root)
    {
        var pending = new Stack<Expr>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case CallExpr call:
                    Floe.Core.Expressions.Evaluation.ValueFunctions.CheckArity(call.Name, call.Args.Count);
                    foreach (var a in call.Args) { pending.Push(a); }
                    break;
                case UnaryExpr u: pending.Push(u.Operand); break;
                case BinaryExpr b: pending.Push(b.Left); pending.Push(b.Right); break;
                case CastExpr c: pending.Push(c.Operand); break;
                case IsNullExpr n: pending.Push(n.Operand); break;
                case InExpr i:
                    pending.Push(i.Operand);
                    foreach (var v in i.Values) { pending.Push(v); }
                    break;
                case CaseExpr k:
                    foreach (var (w, t) in k.Branches) { pending.Push(w); pending.Push(t); }
                    if (k.Else is not null) { pending.Push(k.Else); }
                    break;
            }
        }
    }
}
