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

    /// <summary>The kind of each value (of each list element for <c>last_n</c>).</summary>
    public ValueKind ElementKind { get; }

    public int Stride { get; }

    public long[]? L { get; }

    public double[]? D { get; }

    public bool[] Valid { get; }

    public int[]? ListLength { get; }
}
