using Floe.Kernels.Bitmaps;
using Floe.Kernels.Selection;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// <c>case</c> and the selecting functions (<c>if</c>, <c>coalesce</c>, <c>safe_div</c>'s fallback) as bitmap selects:
/// branches are first brought to one kind (<see cref="Unify"/>), then merged from the last choice back to the first,
/// each choice taking the rows where its mask is set, values and validity alike.
/// </summary>
internal static class ValueSelection
{
    /// <summary>Brings branch values to one kind: numeric kinds widen to double; null literals take the common kind.</summary>
    public static ValueVector[] Unify(IReadOnlyList<Expr> exprs, ValueVector[] values, string what)
    {
        ValueKind? kind = null;
        for (int i = 0; i < values.Length; i++)
        {
            if (exprs[i] is LiteralExpr { Value: null }) { continue; }
            var k = values[i].Kind;
            if (kind is null) { kind = k; }
            else if (kind != k)
            {
                bool bothNumeric = kind is ValueKind.Int64 or ValueKind.Float64 && k is ValueKind.Int64 or ValueKind.Float64;
                if (!bothNumeric)
                {
                    throw new ExpressionException($"{what}: cannot mix {ValueColumns.KindName(kind.Value)} and {ValueColumns.KindName(k)}");
                }
                kind = ValueKind.Float64;
            }
        }
        var target = kind ?? ValueKind.Int64;
        var result = new ValueVector[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = exprs[i] is LiteralExpr { Value: null } ? ValueColumns.AllNull(target, values[i].Length) : ValueCasts.Cast(values[i], target, false);
        }
        return result;
    }

    /// <summary>The rows where <paramref name="v"/> is true (not null, not false) as a bitmap.</summary>
    public static ulong[] TrueRows(ValueVector v)
    {
        int words = Bitmap.WordCount(v.Length);
        var mask = v.Bits.AsSpan(0, words).ToArray();
        if (v.Valid is not null) { Bitmap.And(mask, v.Valid.AsSpan(0, words), mask); }
        Bitmap.ClearTail(mask, v.Length);
        return mask;
    }

    /// <summary>Row i from <paramref name="ifSet"/> where bit i of <paramref name="mask"/> is set, else from <paramref name="ifClear"/> (one kind).</summary>
    public static ValueVector Select(ulong[] mask, ValueVector ifSet, ValueVector ifClear)
    {
        int n = ifSet.Length;
        int words = Bitmap.WordCount(n);
        ulong[]? valid = null;
        if (ifSet.Valid is not null || ifClear.Valid is not null)
        {
            valid = new ulong[words];
            BitmapSelect.SelectBits(mask, ValueColumns.ValidOrAll(ifSet), ValueColumns.ValidOrAll(ifClear), valid, n);
        }
        switch (ifSet.Kind)
        {
            case ValueKind.Float64:
                {
                    var r = new double[n];
                    BitmapSelect.Select<double>(mask, ifSet.Doubles.AsSpan(0, n), ifClear.Doubles.AsSpan(0, n), r);
                    return ValueVector.FromDoubles(r, valid, n);
                }
            case ValueKind.Bool:
                {
                    var r = new ulong[words];
                    BitmapSelect.SelectBits(mask, ifSet.Bits!, ifClear.Bits!, r, n);
                    return ValueVector.FromBits(r, valid, n);
                }
            case ValueKind.String:
                {
                    // Two passes over the offsets: the sizes, then one copy a row into one buffer.
                    var offsets = new int[n + 1];
                    var a = ifSet.Offsets!;
                    var b = ifClear.Offsets!;
                    for (int i = 0; i < n; i++)
                    {
                        int size = ((mask[i >> 6] >> (i & 63)) & 1) != 0 ? a[i + 1] - a[i] : b[i + 1] - b[i];
                        offsets[i + 1] = checked(offsets[i] + size);
                    }
                    var bytes = GC.AllocateUninitializedArray<byte>(offsets[n]);
                    for (int i = 0; i < n; i++)
                    {
                        var row = ((mask[i >> 6] >> (i & 63)) & 1) != 0 ? ifSet.GetUtf8(i) : ifClear.GetUtf8(i);
                        row.CopyTo(bytes.AsSpan(offsets[i]));
                    }
                    return ValueVector.FromUtf8(bytes, offsets, valid, n);
                }
            default:
                {
                    var r = new long[n];
                    BitmapSelect.Select<long>(mask, ValueColumns.Longs(ifSet), ValueColumns.Longs(ifClear), r);
                    return ValueVector.FromLongs(ifSet.Kind, r, valid, n);
                }
        }
    }

    public static ValueVector Case(CaseExpr ce, Func<string, ValueVector?> resolve, int n)
    {
        var exprs = new List<Expr>();
        foreach (var (_, then) in ce.Branches) { exprs.Add(then); }
        exprs.Add(ce.Else ?? new LiteralExpr(null));
        var values = new ValueVector[exprs.Count];
        for (int i = 0; i < exprs.Count; i++) { values[i] = ValueEvaluator.Evaluate(exprs[i], resolve, n); }
        values = Unify(exprs, values, "case");
        var conditions = new ValueVector[ce.Branches.Count];
        for (int i = 0; i < conditions.Length; i++)
        {
            conditions[i] = ValueEvaluator.Evaluate(ce.Branches[i].When, resolve, n);
            ValueEvaluator.RequireBool(conditions[i], "when");
        }
        // The first true branch wins: merge from the else back to the first branch, each overriding where it is true.
        var result = values[^1];
        for (int c = conditions.Length - 1; c >= 0; c--) { result = Select(TrueRows(conditions[c]), values[c], result); }
        return result;
    }
}
