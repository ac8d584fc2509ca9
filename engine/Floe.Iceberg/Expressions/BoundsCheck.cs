using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>Whether a comparison predicate may hold for some value in [lower, upper] (bounds exclude null and NaN).</summary>
internal static class BoundsCheck
{
    /// <summary>False only when every value in the bounds fails <paramref name="p"/>; unknown (null) or NaN bounds never exclude.</summary>
    public static bool MayMatch(BoundPredicate p, object? lower, object? upper)
    {
        if (lower is not null && ValueOrder.IsNaN(lower)) lower = null;
        if (upper is not null && ValueOrder.IsNaN(upper)) upper = null;
        var t = p.Type;
        switch (p.Op)
        {
            case Operation.Lt: return lower is null || ValueOrder.Compare(t, lower, p.Literal) < 0;
            case Operation.LtEq: return lower is null || ValueOrder.Compare(t, lower, p.Literal) <= 0;
            case Operation.Gt: return upper is null || ValueOrder.Compare(t, upper, p.Literal) > 0;
            case Operation.GtEq: return upper is null || ValueOrder.Compare(t, upper, p.Literal) >= 0;
            case Operation.Eq: return InRange(t, p.Literal, lower, upper);
            case Operation.In:
                foreach (var lit in p.Literals)
                {
                    if (InRange(t, lit, lower, upper)) return true;
                }
                return false;
            default:
                return true;
        }
    }

    private static bool InRange(PrimitiveType t, object lit, object? lower, object? upper) =>
        (lower is null || ValueOrder.Compare(t, lit, lower) >= 0) && (upper is null || ValueOrder.Compare(t, lit, upper) <= 0);

    public static object? Decode(PrimitiveType type, byte[]? bytes)
    {
        if (bytes is null) return null;
        try
        {
            return Conversions.FromBytes(type, bytes);
        }
        catch (Floe.Core.Errors.FloeException)
        {
            // A malformed or foreign bound must not hide data: treat it as unknown.
            return null;
        }
    }
}
