using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Decides from a data file's column metrics (value, null and NaN counts; lower and upper bounds) whether the file may
/// hold rows matching a row filter. Missing metrics never exclude a file; truncated string bounds are safe because
/// lower bounds only shrink and upper bounds only grow. Never excludes a file that holds a matching row.
/// </summary>
public sealed class InclusiveMetricsEvaluator
{
    private readonly Expression _filter;

    /// <summary>Prepares the bound <paramref name="filter"/> (negations pushed into predicates).</summary>
    public InclusiveMetricsEvaluator(Expression filter) => _filter = filter.RewriteNot();

    /// <summary>False only when no row of <paramref name="file"/> can match.</summary>
    public bool MayMatch(DataFile file)
    {
        if (file.RecordCount == 0) return false;
        return Eval(_filter, file);
    }

    private static bool Eval(Expression e, DataFile f) => e switch
    {
        AlwaysTrue => true,
        AlwaysFalse => false,
        And a => Eval(a.Left, f) && Eval(a.Right, f),
        Or o => Eval(o.Left, f) || Eval(o.Right, f),
        BoundPredicate p => Test(p, f),
        _ => true,
    };

    private static bool Test(BoundPredicate p, DataFile f)
    {
        var id = p.FieldId;
        long? values = f.ValueCounts is not null && f.ValueCounts.TryGetValue(id, out var v) ? v : null;
        long? nulls = f.NullValueCounts is not null && f.NullValueCounts.TryGetValue(id, out var n) ? n : null;
        long? nans = f.NanValueCounts is not null && f.NanValueCounts.TryGetValue(id, out var nn) ? nn : null;
        var allNull = values is { } vc && nulls is { } nc && nc == vc;
        var allNullOrNaN = values is { } vc2 && (nulls ?? 0) + (nans ?? 0) == vc2 && (nulls is not null || nans is not null);
        switch (p.Op)
        {
            case Operation.IsNull:
                return nulls is not 0;
            case Operation.NotNull:
                return !allNull;
            case Operation.NotEq:
            case Operation.NotIn:
                return !allNullOrNaN;
        }
        if (allNullOrNaN) return false;
        var lower = BoundsCheck.Decode(p.Type, f.LowerBounds is not null && f.LowerBounds.TryGetValue(id, out var lb) ? lb : null);
        var upper = BoundsCheck.Decode(p.Type, f.UpperBounds is not null && f.UpperBounds.TryGetValue(id, out var ub) ? ub : null);
        return BoundsCheck.MayMatch(p, lower, upper);
    }
}
