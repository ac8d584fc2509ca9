using Floe.Core.Errors;
using Floe.Core.Expressions;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Parses filter text such as
/// <c>amount &gt; 10 and event_time &gt;= '2024-01-03T00:00:00Z' or name in ('a','b') and x between 1 and 5 and y is null and not (z = 3)</c>
/// with Floe's one expression language (<see cref="ExpressionSyntax"/>) and binds it to a table schema as Iceberg
/// predicates. A table filter is and/or/not over predicates that compare a column with literals (<c>=</c>, <c>!=</c>,
/// <c>&lt;</c>, ..., <c>in</c>, <c>between</c>, <c>is [not] null</c>); literals are converted to the column type (see
/// <see cref="BoundPredicate"/>), so a decimal, date or timestamp compares exactly.
/// </summary>
public static class ExpressionParser
{
    /// <summary>How deeply parentheses and <c>not</c> may nest.</summary>
    public const int MaxNesting = ExpressionSyntax.MaxDepth;

    /// <summary>Parses and binds <paramref name="text"/> against <paramref name="schema"/>.</summary>
    /// <exception cref="FloeException">
    /// <see cref="FloeErrorCode.InvalidArgument"/> naming the character position and the offending token, column or literal.
    /// </exception>
    public static Expression Parse(string text, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(schema);
        Expr syntax;
        try
        {
            syntax = ExpressionSyntax.Parse(text);
        }
        catch (ExpressionException e)
        {
            throw Errors.InvalidArgument($"filter expression {e.Message}");
        }
        return Bind(syntax, schema);
    }

    /// <summary>Binds a parsed expression to <paramref name="schema"/> as Iceberg predicates.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> for anything a table filter cannot express.</exception>
    public static Expression Bind(Expr syntax, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        ArgumentNullException.ThrowIfNull(schema);
        // Trees from ExpressionSyntax are at most MaxDepth deep, so recursion here is bounded.
        switch (syntax)
        {
            case BinaryExpr { Op: "and" } b:
                return new And(Bind(b.Left, schema), Bind(b.Right, schema));
            case BinaryExpr { Op: "or" } b:
                return new Or(Bind(b.Left, schema), Bind(b.Right, schema));
            case UnaryExpr { Op: "not" } u:
                return new Not(Bind(u.Operand, schema));
            case LiteralExpr { Value: bool b }:
                return b ? AlwaysTrue.Instance : AlwaysFalse.Instance;
            case IsNullExpr { Operand: ColumnExpr c } n:
                {
                    var (field, type) = Column(c, schema);
                    return new BoundPredicate(field.Id, c.Name, type, n.Negated ? Operation.NotNull : Operation.IsNull);
                }
            case InExpr { Operand: ColumnExpr c } inList:
                {
                    var (field, type) = Column(c, schema);
                    var values = new object[inList.Values.Count];
                    for (var i = 0; i < values.Length; i++) values[i] = Literal(inList.Values[i], type, c.Name);
                    return new BoundPredicate(field.Id, c.Name, type, inList.Negated ? Operation.NotIn : Operation.In, values);
                }
            case BinaryExpr { Left: ColumnExpr c } b when Comparison(b.Op) is { } op && IsLiteral(b.Right):
                {
                    var (field, type) = Column(c, schema);
                    return new BoundPredicate(field.Id, c.Name, type, op, [Literal(b.Right, type, c.Name)]);
                }
            case BinaryExpr { Right: ColumnExpr c } b when Comparison(b.Op) is { } op && IsLiteral(b.Left):
                {
                    // 5 < x is x > 5.
                    var (field, type) = Column(c, schema);
                    return new BoundPredicate(field.Id, c.Name, type, Flip(op), [Literal(b.Left, type, c.Name)]);
                }
            case BinaryExpr { Left: ColumnExpr c } b when Comparison(b.Op) is not null:
                {
                    // A column compared with something other than a literal: say what was found.
                    var (_, type) = Column(c, schema);
                    Literal(b.Right, type, c.Name);
                    goto default;
                }
            default:
                throw Errors.InvalidArgument(
                    $"filter expression{At(syntax)}: a table filter compares a column with literals (=, !=, <, <=, >, >=, in, between, is null) joined by and, or, not; {Describe(syntax)} is not one of those");
        }
    }

    private static (NestedField Field, PrimitiveType Type) Column(ColumnExpr c, Schema schema)
    {
        var field = schema.FindField(c.Name)
            ?? throw Errors.InvalidArgument($"filter expression at character {c.Position} ('{c.Name}'): unknown column '{c.Name}' (columns: {string.Join(", ", schema.Fields.Select(f => f.Name))})");
        if (field.Type is not PrimitiveType type)
        {
            throw Errors.InvalidArgument($"filter expression at character {c.Position} ('{c.Name}'): column '{c.Name}' has nested type {field.Type} and cannot be compared");
        }
        return (field, type);
    }

    private static bool IsLiteral(Expr e) => e is LiteralExpr or UnaryExpr { Op: "-", Operand: LiteralExpr { Value: long or double } };

    private static object Literal(Expr e, PrimitiveType type, string column)
    {
        switch (e)
        {
            case LiteralExpr { Value: null } lit:
                throw Errors.InvalidArgument($"filter expression at character {lit.Position} ('null'): comparison with null is never true; use '{column} is null'");
            case LiteralExpr { Value: long or double } lit:
                return Literals.FromText(type, lit.Text ?? Convert.ToString(lit.Value, System.Globalization.CultureInfo.InvariantCulture)!, isNumber: true, column, lit.Position);
            case LiteralExpr { Value: bool b } lit:
                return Literals.FromText(type, b ? "true" : "false", isNumber: false, column, lit.Position);
            case LiteralExpr { Value: string s } lit:
                return Literals.FromText(type, s, isNumber: false, column, lit.Position);
            case UnaryExpr { Op: "-", Operand: LiteralExpr { Value: long or double } lit }:
                return Literals.FromText(type, "-" + (lit.Text ?? Convert.ToString(lit.Value, System.Globalization.CultureInfo.InvariantCulture)), isNumber: true, column, lit.Position - 1);
            default:
                throw Errors.InvalidArgument($"filter expression{At(e)}: expected a literal for column '{column}', found {Describe(e)}");
        }
    }

    private static Operation? Comparison(string op) => op switch
    {
        "=" => Operation.Eq,
        "!=" => Operation.NotEq,
        "<" => Operation.Lt,
        "<=" => Operation.LtEq,
        ">" => Operation.Gt,
        ">=" => Operation.GtEq,
        _ => null,
    };

    private static Operation Flip(Operation op) => op switch
    {
        Operation.Lt => Operation.Gt,
        Operation.LtEq => Operation.GtEq,
        Operation.Gt => Operation.Lt,
        Operation.GtEq => Operation.LtEq,
        _ => op,
    };

    private static string At(Expr e) => e switch
    {
        ColumnExpr { Position: > 0 } c => $" at character {c.Position}",
        LiteralExpr { Position: > 0 } l => $" at character {l.Position}",
        BinaryExpr b => At(b.Left),
        UnaryExpr u => At(u.Operand),
        IsNullExpr n => At(n.Operand),
        InExpr i => At(i.Operand),
        CastExpr c => At(c.Operand),
        _ => "",
    };

    private static string Describe(Expr e) => e switch
    {
        BinaryExpr b => $"'{b.Op}' between {Describe(b.Left)} and {Describe(b.Right)}",
        UnaryExpr { Op: "-" } => "a negated value",
        UnaryExpr u => $"'{u.Op}' of {Describe(u.Operand)}",
        ColumnExpr c => $"column '{c.Name}'",
        LiteralExpr { Value: null } => "null",
        LiteralExpr l => $"the literal {l.Text ?? l.Value}",
        CallExpr call => $"a call of {call.Name}()",
        CastExpr => "a cast",
        CaseExpr => "a case expression",
        IsNullExpr => "an 'is null' test of an expression",
        InExpr => "an 'in' test of an expression",
        _ => "this expression",
    };
}
