using System.Text;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// A predicate on one column bound to its field id. <see cref="Literals"/> hold values in the column type's CLR
/// representation (see <see cref="PrimitiveType"/>): none for is null / not null, one for comparisons, one or more for
/// in / not in.
/// </summary>
public sealed record BoundPredicate : Expression
{
    /// <summary>Creates a predicate; literal values are converted to <paramref name="type"/>'s CLR representation.</summary>
    /// <exception cref="FloeException">Wrong number of literals or a literal that does not fit the column type.</exception>
    public BoundPredicate(int fieldId, string column, PrimitiveType type, Operation op, IReadOnlyList<object>? literals = null)
    {
        FieldId = fieldId;
        Column = column;
        Type = type;
        Op = op;
        var lits = literals ?? Array.Empty<object>();
        var expected = op switch
        {
            Operation.IsNull or Operation.NotNull => lits.Count == 0,
            Operation.In or Operation.NotIn => lits.Count > 0,
            _ => lits.Count == 1,
        };
        if (!expected) throw Errors.InvalidArgument($"predicate {op} on column '{column}' got {lits.Count} literal(s)");
        var converted = new object[lits.Count];
        for (var i = 0; i < lits.Count; i++) converted[i] = Expressions.Literals.Coerce(type, lits[i], column);
        Literals = converted;
    }

    /// <summary>Binds a predicate on <paramref name="column"/> of <paramref name="schema"/>.</summary>
    /// <exception cref="FloeException">Unknown or non-primitive column, or bad literals.</exception>
    public static BoundPredicate Bind(Schema schema, string column, Operation op, params object[] literals)
    {
        var field = schema.GetField(column);
        if (field.Type is not PrimitiveType p)
        {
            throw Errors.InvalidArgument($"column '{column}' has nested type {field.Type} and cannot be filtered");
        }
        return new BoundPredicate(field.Id, column, p, op, literals);
    }

    /// <summary>The bound field id.</summary>
    public int FieldId { get; }

    /// <summary>The column name as written (dotted for nested struct fields).</summary>
    public string Column { get; }

    /// <summary>The column type.</summary>
    public PrimitiveType Type { get; }

    /// <summary>The operator.</summary>
    public Operation Op { get; }

    /// <summary>The literals in the column's CLR representation.</summary>
    public IReadOnlyList<object> Literals { get; }

    /// <summary>The first literal (comparisons).</summary>
    public object Literal => Literals[0];

    /// <summary>The predicate that is true exactly where this one is false (null and NaN values stay unmatched).</summary>
    public BoundPredicate Negate() => new(FieldId, Column, Type, Op switch
    {
        Operation.IsNull => Operation.NotNull,
        Operation.NotNull => Operation.IsNull,
        Operation.Eq => Operation.NotEq,
        Operation.NotEq => Operation.Eq,
        Operation.Lt => Operation.GtEq,
        Operation.LtEq => Operation.Gt,
        Operation.Gt => Operation.LtEq,
        Operation.GtEq => Operation.Lt,
        Operation.In => Operation.NotIn,
        _ => Operation.In,
    }, Literals);

    /// <summary>
    /// Evaluates the predicate on one value with SQL semantics: null satisfies only <c>is null</c>, NaN satisfies no
    /// comparison, and <c>not in</c> is false for null.
    /// </summary>
    public bool Test(object? value)
    {
        if (Op == Operation.IsNull) return value is null;
        if (Op == Operation.NotNull) return value is not null;
        if (value is null || ValueOrder.IsNaN(value)) return false;
        switch (Op)
        {
            case Operation.In:
            case Operation.NotIn:
                {
                    var found = false;
                    foreach (var l in Literals)
                    {
                        if (ValueOrder.Compare(Type, value, l) == 0)
                        {
                            found = true;
                            break;
                        }
                    }
                    return found == (Op == Operation.In);
                }
            default:
                {
                    var c = ValueOrder.Compare(Type, value, Literal);
                    return Op switch
                    {
                        Operation.Eq => c == 0,
                        Operation.NotEq => c != 0,
                        Operation.Lt => c < 0,
                        Operation.LtEq => c <= 0,
                        Operation.Gt => c > 0,
                        _ => c >= 0,
                    };
                }
        }
    }

    /// <summary>Structural equality (literals by value).</summary>
    public bool Equals(BoundPredicate? other)
    {
        if (other is null || other.FieldId != FieldId || other.Column != Column || other.Op != Op || !other.Type.Equals(Type) || other.Literals.Count != Literals.Count)
        {
            return false;
        }
        for (var i = 0; i < Literals.Count; i++)
        {
            if (ValueOrder.Compare(Type, Literals[i], other.Literals[i]) != 0) return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FieldId, Op, Literals.Count);

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(Column);
        switch (Op)
        {
            case Operation.IsNull: return sb.Append(" is null").ToString();
            case Operation.NotNull: return sb.Append(" is not null").ToString();
            case Operation.In or Operation.NotIn:
                sb.Append(Op == Operation.In ? " in (" : " not in (");
                for (var i = 0; i < Literals.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    sb.Append(Expressions.Literals.Format(Type, Literals[i]));
                }
                return sb.Append(')').ToString();
            default:
                var op = Op switch
                {
                    Operation.Eq => "=",
                    Operation.NotEq => "!=",
                    Operation.Lt => "<",
                    Operation.LtEq => "<=",
                    Operation.Gt => ">",
                    _ => ">=",
                };
                return sb.Append(' ').Append(op).Append(' ').Append(Expressions.Literals.Format(Type, Literal)).ToString();
        }
    }
}
