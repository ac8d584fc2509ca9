namespace Floe.Iceberg.Expressions;

/// <summary>
/// An immutable boolean filter expression over table columns. Leaves are <see cref="BoundPredicate"/>s (column bound to
/// a field id, literals in the column's CLR representation). Rows are evaluated with SQL semantics: a comparison with
/// a null (or NaN) value is unknown, and only rows whose filter is true are selected.
/// </summary>
public abstract record Expression
{
    /// <summary>
    /// The deepest a tree may be (<see cref="ExpressionDepth.MaxDepth"/>): every walker over expressions recurses, so a
    /// tree deeper than this is refused when it is built rather than overflowing the stack when it is evaluated.
    /// </summary>
    internal virtual int Depth => 1;

    /// <summary>Conjunction, folding constants.</summary>
    public static Expression And(Expression left, Expression right) =>
        left is AlwaysFalse || right is AlwaysFalse ? AlwaysFalse.Instance
        : left is AlwaysTrue ? right
        : right is AlwaysTrue ? left
        : new And(left, right);

    /// <summary>Disjunction, folding constants.</summary>
    public static Expression Or(Expression left, Expression right) =>
        left is AlwaysTrue || right is AlwaysTrue ? AlwaysTrue.Instance
        : left is AlwaysFalse ? right
        : right is AlwaysFalse ? left
        : new Or(left, right);

    /// <summary>Negation, folding constants and double negation.</summary>
    public static Expression Not(Expression child) => child switch
    {
        AlwaysTrue => AlwaysFalse.Instance,
        AlwaysFalse => AlwaysTrue.Instance,
        Not n => n.Child,
        _ => new Not(child),
    };

    /// <summary>
    /// The equivalent expression without <see cref="Not"/> nodes: negations are pushed into predicates
    /// (<c>not (x &lt; 5)</c> → <c>x &gt;= 5</c>, <c>not (x in (..))</c> → <c>x not in (..)</c>). Equivalent under SQL
    /// three-valued logic, which the evaluators rely on.
    /// </summary>
    public Expression RewriteNot() => this switch
    {
        And a => And(a.Left.RewriteNot(), a.Right.RewriteNot()),
        Or o => Or(o.Left.RewriteNot(), o.Right.RewriteNot()),
        Not n => n.Child switch
        {
            And a => Or(Not(a.Left).RewriteNot(), Not(a.Right).RewriteNot()),
            Or o => And(Not(o.Left).RewriteNot(), Not(o.Right).RewriteNot()),
            Not inner => inner.Child.RewriteNot(),
            BoundPredicate p => p.Negate(),
            AlwaysTrue => AlwaysFalse.Instance,
            _ => AlwaysTrue.Instance,
        },
        _ => this,
    };
}
