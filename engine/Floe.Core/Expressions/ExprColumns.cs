namespace Floe.Core.Expressions;

/// <summary>Finds the column names an expression reads.</summary>
public static class ExprColumns
{
    /// <summary>Adds every column <paramref name="expr"/> references to <paramref name="names"/>.</summary>
    public static void Collect(Expr expr, ISet<string> names)
    {
        switch (expr)
        {
            case ColumnExpr c:
                names.Add(c.Name);
                break;
            case BinaryExpr b:
                Collect(b.Left, names);
                Collect(b.Right, names);
                break;
            case UnaryExpr u:
                Collect(u.Operand, names);
                break;
            case CastExpr c:
                Collect(c.Operand, names);
                break;
            case IsNullExpr n:
                Collect(n.Operand, names);
                break;
            case InExpr i:
                Collect(i.Operand, names);
                foreach (var v in i.Values) { Collect(v, names); }
                break;
            case CallExpr call:
                foreach (var a in call.Args) { Collect(a, names); }
                break;
            case CaseExpr k:
                foreach (var (when, then) in k.Branches)
                {
                    Collect(when, names);
                    Collect(then, names);
                }
                if (k.Else is not null) { Collect(k.Else, names); }
                break;
        }
    }
}
