using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Decides whether every row of a data file certainly matches a filter, from the file's metadata alone: identity
/// partition values (exact), column bounds, null and NaN counts. The counterpart of
/// <see cref="InclusiveMetricsEvaluator"/> ("some row might match"); together they let whole-file operations such as
/// delete-by-filter act only when the answer is known for the whole file.
/// </summary>
public sealed class StrictMetricsEvaluator
{
    private readonly Expression _filter;
    private readonly PartitionSpec _spec;

    /// <summary>Prepares <paramref name="filter"/> for files of <paramref name="spec"/>.</summary>
    public StrictMetricsEvaluator(Expression filter, PartitionSpec spec)
    {
        _filter = filter.RewriteNot();
        _spec = spec;
    }

    /// <summary>True only when every row of <paramref name="file"/> satisfies the filter.</summary>
    public bool AllMatch(DataFile file) => Eval(_filter, file);

    private bool Eval(Expression e, DataFile file) => e switch
    {
        AlwaysTrue => true,
        AlwaysFalse => false,
        And a => Eval(a.Left, file) && Eval(a.Right, file),
        Or o => Eval(o.Left, file) || Eval(o.Right, file),
        BoundPredicate p => AllMatch(p, file),
        _ => false,
    };

    private bool AllMatch(BoundPredicate p, DataFile file)
    {
        if (file.RecordCount == 0) return true;
        if (TryIdentityValue(p.FieldId, file, out var exact))
        {
            return p.Op switch
            {
                Operation.IsNull => exact is null,
                Operation.NotNull => exact is not null,
                _ => p.Test(exact),
            };
        }
        long? nulls = file.NullValueCounts is { } n && n.TryGetValue(p.FieldId, out var nc) ? nc : null;
        switch (p.Op)
        {
            case Operation.IsNull: return nulls == file.RecordCount;
            case Operation.NotNull: return nulls == 0;
        }
        // A null (or NaN) value fails every comparison, so all rows can match only when none is null or NaN.
        if (nulls != 0) return false;
        if (p.Type.Id is TypeId.Float or TypeId.Double &&
            !(file.NanValueCounts is { } nan && nan.TryGetValue(p.FieldId, out var nanCount) && nanCount == 0))
        {
            return false;
        }
        var lower = BoundsCheck.Decode(p.Type, file.LowerBounds?.GetValueOrDefault(p.FieldId));
        var upper = BoundsCheck.Decode(p.Type, file.UpperBounds?.GetValueOrDefault(p.FieldId));
        if (lower is null || upper is null || ValueOrder.IsNaN(lower) || ValueOrder.IsNaN(upper)) return false;
        var t = p.Type;
        switch (p.Op)
        {
            case Operation.Lt: return ValueOrder.Compare(t, upper, p.Literal) < 0;
            case Operation.LtEq: return ValueOrder.Compare(t, upper, p.Literal) <= 0;
            case Operation.Gt: return ValueOrder.Compare(t, lower, p.Literal) > 0;
            case Operation.GtEq: return ValueOrder.Compare(t, lower, p.Literal) >= 0;
            case Operation.Eq: return ValueOrder.Compare(t, lower, p.Literal) == 0 && ValueOrder.Compare(t, upper, p.Literal) == 0;
            case Operation.NotEq: return ValueOrder.Compare(t, p.Literal, lower) < 0 || ValueOrder.Compare(t, p.Literal, upper) > 0;
            case Operation.In:
                return ValueOrder.Compare(t, lower, upper) == 0 && p.Literals.Any(l => ValueOrder.Compare(t, l, lower) == 0);
            case Operation.NotIn:
                return p.Literals.All(l => ValueOrder.Compare(t, l, lower) < 0 || ValueOrder.Compare(t, l, upper) > 0);
            default:
                return false;
        }
    }

    private bool TryIdentityValue(int fieldId, DataFile file, out object? value)
    {
        value = null;
        if (file.SpecId != _spec.SpecId || file.Partition.Count != _spec.Fields.Count) return false;
        for (var i = 0; i < _spec.Fields.Count; i++)
        {
            var field = _spec.Fields[i];
            if (field.SourceId == fieldId && field.Transform.Kind == TransformKind.Identity)
            {
                value = file.Partition[i];
                return true;
            }
        }
        return false;
    }
}
