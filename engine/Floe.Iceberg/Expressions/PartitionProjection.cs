using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Inclusive projection of a row filter onto a partition spec (as Iceberg's <c>Projections.inclusive</c>): the
/// projected expression is true for every partition that holds a matching row, so a false result proves a partition
/// (or file, or manifest) holds none. Projected predicates carry the partition field id, name and result type.
/// </summary>
internal static class PartitionProjection
{
    public static Expression Project(Expression expression, PartitionSpec spec, Schema schema) =>
        ProjectRewritten(expression.RewriteNot(), spec, schema);

    private static Expression ProjectRewritten(Expression e, PartitionSpec spec, Schema schema) => e switch
    {
        And a => Expression.And(ProjectRewritten(a.Left, spec, schema), ProjectRewritten(a.Right, spec, schema)),
        Or o => Expression.Or(ProjectRewritten(o.Left, spec, schema), ProjectRewritten(o.Right, spec, schema)),
        BoundPredicate p => ProjectPredicate(p, spec),
        _ => e,
    };

    private static Expression ProjectPredicate(BoundPredicate p, PartitionSpec spec)
    {
        Expression result = AlwaysTrue.Instance;
        foreach (var field in spec.Fields)
        {
            if (field.SourceId != p.FieldId) continue;
            result = Expression.And(result, ProjectOne(p, field));
        }
        return result;
    }

    private static Expression ProjectOne(BoundPredicate p, PartitionField field)
    {
        var t = field.Transform;
        if (t.Kind == TransformKind.Void || !TransformFunctions.CanApply(t, p.Type)) return AlwaysTrue.Instance;
        var resultType = t.ResultType(p.Type);
        BoundPredicate Make(Operation op, IReadOnlyList<object>? lits = null) => new(field.FieldId, field.Name, resultType, op, lits);

        if (p.Op is Operation.IsNull or Operation.NotNull) return Make(p.Op);
        if (t.Kind == TransformKind.Identity) return Make(p.Op, p.Literals);
        try
        {
            switch (p.Op)
            {
                case Operation.Eq:
                    return Make(Operation.Eq, new[] { Apply(t, p, p.Literal) });
                case Operation.In:
                    {
                        var values = new List<object>();
                        foreach (var lit in p.Literals) values.Add(Apply(t, p, lit));
                        return Make(Operation.In, values);
                    }
                case Operation.Lt or Operation.LtEq when t.Kind != TransformKind.Bucket:
                    // Truncation and time transforms are monotone: x <= v implies t(x) <= t(v). On discrete types
                    // x < v is x <= v - 1, which prunes the boundary partition (as Iceberg Java does).
                    return Make(Operation.LtEq, new[] { Apply(t, p, p.Op == Operation.Lt ? Step(p.Type, p.Literal, -1) : p.Literal) });
                case Operation.Gt or Operation.GtEq when t.Kind != TransformKind.Bucket:
                    return Make(Operation.GtEq, new[] { Apply(t, p, p.Op == Operation.Gt ? Step(p.Type, p.Literal, +1) : p.Literal) });
                default:
                    return AlwaysTrue.Instance;
            }
        }
        catch (Exception ex) when (ex is FloeException or OverflowException)
        {
            // A literal the transform cannot take (e.g. more decimal digits than the column scale): no projection.
            return AlwaysTrue.Instance;
        }
    }

    /// <summary>The next (or previous) representable value of discrete types; other values are returned unchanged.</summary>
    private static object Step(PrimitiveType type, object value, int direction) => value switch
    {
        int i => checked(i + direction),
        long l => checked(l + direction),
        decimal d when type.Id == TypeId.Decimal => d + direction * Conversions.ScaledDecimal(System.Numerics.BigInteger.One, type.Scale),
        _ => value,
    };

    private static object Apply(Transform t, BoundPredicate p, object literal) =>
        TransformFunctions.Apply(t, p.Type, literal) ?? throw Errors.InvalidArgument("transform produced null");
}
