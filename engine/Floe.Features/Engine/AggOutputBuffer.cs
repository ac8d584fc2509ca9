using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>
/// The values of one aggregation feature for the rows of a chunk, written by row index. Longs hold Int64, Bool,
/// Timestamp and string-id values; lists (<c>last_n</c>) use a fixed stride of n values per row plus a length.
/// </summary>
internal sealed class AggOutputBuffer
{
    public AggOutputBuffer(AggSpec spec, ValueKind slotKind, int rows, ChunkArrays pool)
    {
        Spec = spec;
        _pool = pool;
        ElementKind = spec.IsList ? slotKind : spec.OutputKind;
        Stride = spec.IsList ? spec.N : 1;
        // Scalar outputs go into arrays rented from the engine's pool, reused chunk after chunk instead of churning the
        // large heap: the kernels write them in sorted (or output) order, and row order is a permutation away.
        _rented = Stride == 1;
        if (ElementKind == ValueKind.Float64) { D = _rented ? pool.Doubles.Rent(rows) : new double[rows * Stride]; }
        else { L = _rented ? pool.Longs.Rent(rows) : new long[rows * Stride]; }
        // Most values are valid: start all true so the kernels store only the nulls (one write stream fewer per
        // feature); rows the kernels never reach (late events) are cleared by the engine. Rented too (a dozen flags a
        // row per chunk were the kernel stage's garbage): the flags are read into a bitmap before the chunk is done.
        Rows = rows;
        Valid = pool.Bools.Rent(rows);
        Valid.AsSpan(0, rows).Fill(true);
        if (spec.IsList) { ListLength = new int[rows]; }
    }

    private readonly ChunkArrays _pool;
    private bool _rented;

    public AggSpec Spec { get; }

    /// <summary>
    /// Permutes the sorted-order values into row order (position k to row <c>order[k]</c> for k below
    /// <see cref="Rows"/>, one tight pass per array; <paramref name="order"/> may be longer). With
    /// <paramref name="pooled"/> the row-order value array is
    /// rented from the engine's <see cref="ChunkArrays"/> (it may be longer than the row count) and the caller returns it
    /// once the column has been consumed (<see cref="FeatureEngine.ReturnPooled"/>).
    /// </summary>
    public void PermuteToRowOrder(int[] order, bool pooled = false)
    {
        if (Stride == 1)
        {
            if (D is not null)
            {
                var scratch = D;
                D = Permute(scratch, order, Rows, pooled ? _pool.Doubles : null);
                _pool.Doubles.Return(scratch);
            }
            if (L is not null)
            {
                var scratch = L;
                L = Permute(scratch, order, Rows, pooled ? _pool.Longs : null);
                _pool.Longs.Return(scratch);
            }
            _rented = false;
        }
        else
        {
            var len = ListLength!;
            if (D is not null) { PermuteStrided(D, order, Rows, Stride); }
            if (L is not null) { PermuteStrided(L, order, Rows, Stride); }
            ListLength = Permute(len, order, Rows);
        }
        // All-valid (the usual case) reads the same in any order.
        if (Valid.AsSpan(0, Rows).Contains(false))
        {
            var rented = Valid;
            Valid = Permute(rented, order, Rows, _pool.Bools);
            _pool.Bools.Return(rented);
        }
    }

    /// <summary>
    /// Keeps the values where the kernels wrote them (already in output order). Without <paramref name="pooled"/>
    /// the scalar arrays are copied to exact-length arrays and the rented ones returned.
    /// </summary>
    public void Keep(bool pooled)
    {
        if (Stride != 1 || pooled) { return; }
        if (D is not null)
        {
            var rented = D;
            D = rented.AsSpan(0, Rows).ToArray();
            _pool.Doubles.Return(rented);
        }
        if (L is not null)
        {
            var rented = L;
            L = rented.AsSpan(0, Rows).ToArray();
            _pool.Longs.Return(rented);
        }
    }

    // Scatter into a fresh array rather than copy-then-scatter in place: one pass and one allocation fewer.
    private static T[] Permute<T>(T[] values, int[] order, int rows, ChunkPool<T>? pool = null)
    {
        var result = pool is not null ? pool.Rent(rows) : GC.AllocateUninitializedArray<T>(rows);
        var from = values.AsSpan(0, rows);
        var to = order.AsSpan(0, rows);
        for (int k = 0; k < from.Length; k++) { result[to[k]] = from[k]; }
        return result;
    }

    private static void PermuteStrided<T>(T[] values, int[] order, int rows, int stride)
    {
        var copy = values.AsSpan(0, rows * stride).ToArray();
        for (int k = 0; k < rows; k++) { copy.AsSpan(k * stride, stride).CopyTo(values.AsSpan(order[k] * stride)); }
    }

    /// <summary>Hands the (rented) validity flags back once the column's validity has been read from them.</summary>
    public void ReturnValid()
    {
        _pool.Bools.Return(Valid);
        Valid = [];
    }

    /// <summary>The chunk's rows; the value and flag arrays may be longer.</summary>
    public int Rows { get; }

    /// <summary>The kind of each value (of each list element for <c>last_n</c>).</summary>
    public ValueKind ElementKind { get; }

    public int Stride { get; }

    public long[]? L { get; private set; }

    public double[]? D { get; private set; }

    public bool[] Valid { get; private set; }

    public int[]? ListLength { get; private set; }
}
