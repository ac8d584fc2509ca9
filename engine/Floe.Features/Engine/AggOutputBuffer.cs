using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>
/// The values of one aggregation feature for the rows of a chunk, written by row index. Longs hold Int64, Bool,
/// Timestamp and string-id values; lists (<c>last_n</c>) use a fixed stride of n values per row plus a length.
/// </summary>
internal sealed class AggOutputBuffer
{
    public AggOutputBuffer(AggSpec spec, ValueKind slotKind, int rows)
    {
        Spec = spec;
        ElementKind = spec.IsList ? slotKind : spec.OutputKind;
        Stride = spec.IsList ? spec.N : 1;
        if (ElementKind == ValueKind.Float64) { D = new double[rows * Stride]; }
        else { L = new long[rows * Stride]; }
        Valid = new bool[rows];
        if (spec.IsList) { ListLength = new int[rows]; }
    }

    public AggSpec Spec { get; }

    /// <summary>
    /// The kernels write values at sorted positions (entity, time); this moves position k to row
    /// <c>order[k]</c>, one tight pass per array.
    /// </summary>
    public void PermuteToRowOrder(int[] order)
    {
        if (Stride == 1)
        {
            if (D is not null) { Permute(D, order); }
            if (L is not null) { Permute(L, order); }
        }
        else
        {
            var len = ListLength!;
            if (D is not null) { PermuteStrided(D, order, Stride); }
            if (L is not null) { PermuteStrided(L, order, Stride); }
            Permute(len, order);
        }
        Permute(Valid, order);
    }

    private static void Permute<T>(T[] values, int[] order)
    {
        var copy = values.AsSpan(0, order.Length).ToArray();
        for (int k = 0; k < order.Length; k++) { values[order[k]] = copy[k]; }
    }

    private static void PermuteStrided<T>(T[] values, int[] order, int stride)
    {
        var copy = values.AsSpan(0, order.Length * stride).ToArray();
        for (int k = 0; k < order.Length; k++) { copy.AsSpan(k * stride, stride).CopyTo(values.AsSpan(order[k] * stride)); }
    }

    /// <summary>The kind of each value (of each list element for <c>last_n</c>).</summary>
    public ValueKind ElementKind { get; }

    public int Stride { get; }

    public long[]? L { get; }

    public double[]? D { get; }

    public bool[] Valid { get; }

    public int[]? ListLength { get; }
}
