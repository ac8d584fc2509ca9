namespace Floe.Core.Expressions;

/// <summary>The depth of an expression tree, measured without recursion (the tree may be hostile).</summary>
public static class ExprDepth
{
    /// <summary>The number of nodes on the longest root-to-leaf path of <paramref name="root"/>.</summary>
    public static int Measure(Expr root)
    {
        var deepest = 0;
        var stack = new Stack<(Expr Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > deepest)
            {
                deepest = depth;
            }
            switch (node)
            {
                case UnaryExpr u: stack.Push((u.Operand, depth + 1)); break;
                case BinaryExpr b: stack.Push((b.Left, depth + 1)); stack.Push((b.Right, depth + 1)); break;
                case CastExpr c: stack.Push((c.Operand, depth + 1)); break;
                case IsNullExpr n: stack.Push((n.Operand, depth + 1)); break;
                case InExpr i:
                    stack.Push((i.Operand, depth + 1));
                    foreach (var v in i.Values)
                    {
                        stack.Push((v, depth + 1));
                    }
                    break;
                case CallExpr call:
                    foreach (var a in call.Args)
                    {
                        stack.Push((a, depth + 1));
                    }
                    break;
                case CaseExpr ce:
                    foreach (var (w, t) in ce.Branches)
                    {
                        stack.Push((w, depth + 1));
                        stack.Push((t, depth + 1));
                    }
                    if (ce.Else is not null)
                    {
                        stack.Push((ce.Else, depth + 1));
                    }
                    break;
            }
        }
        return deepest;
    }
}
