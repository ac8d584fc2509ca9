using System.Buffers;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Expressions.Evaluation;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Kernels.Aggregates;
using Floe.Kernels.Bitmaps;
using Floe.Parquet;

namespace Floe.Iceberg.Scan;

/// <summary>What one aggregated column needs computed: its field, type, and which reductions the calls ask for.</summary>
internal sealed record AggregateColumn(int FieldId, string Name, PrimitiveType Type, bool Sum, bool MinMax)
{
    /// <summary>Float and double: NaN needs its own ordering, and Parquet row-group statistics say nothing of it.</summary>
    public bool Floating => Type.Id is TypeId.Float or TypeId.Double;
}

/// <summary>
/// Partial aggregates of one worker (or of everything, once merged): the matching row count and, per aggregated
/// column, its non-null count, exact integer or compensated floating sum, and min/max with NaN seen apart.
/// </summary>
internal sealed class AggregateState
{
    private readonly AggregateColumn[] _columns;

    public AggregateState(AggregateColumn[] columns)
    {
        _columns = columns;
        Columns = new ColumnState[columns.Length];
        for (var i = 0; i < columns.Length; i++) Columns[i] = new ColumnState();
    }

    public long Rows;
    public readonly ColumnState[] Columns;

    internal sealed class ColumnState
    {
        public long Count;
        public Int128 IntSum;
        public DoubleSum FloatSum;
        public bool HasValue;
        public long MinL, MaxL;
        public double MinD, MaxD;
        public bool SawNaN;

        public void Merge(ColumnState o)
        {
            Count += o.Count;
            IntSum += o.IntSum;
            FloatSum.Add(o.FloatSum);
            SawNaN |= o.SawNaN;
            if (o.HasValue)
            {
                UpdateLong(o.MinL, o.MaxL);
                UpdateDouble(o.MinD, o.MaxD);
                HasValue = true;
            }
        }

        public void UpdateLong(long min, long max)
        {
            if (!HasValue || min < MinL) MinL = min;
            if (!HasValue || max > MaxL) MaxL = max;
        }

        public void UpdateDouble(double min, double max)
        {
            if (!HasValue || min < MinD) MinD = min;
            if (!HasValue || max > MaxD) MaxD = max;
        }
    }

    public void Merge(AggregateState other)
    {
        Rows += other.Rows;
        for (var i = 0; i < Columns.Length; i++) Columns[i].Merge(other.Columns[i]);
    }

    /// <summary>
    /// Folds a file's or row group's metrics in when they prove every answer (the caller has established that every
    /// row counted matches the filter and none is deleted): counts need the null count, sums that the column is all
    /// null, min/max exact numeric or temporal bounds (for float and double, a known NaN count of 0, which only
    /// Iceberg file metrics carry). False, with nothing folded, when any column needs its values.
    /// </summary>
    public bool TryFoldMetrics(DataFile metrics, bool fileLevel)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            if (!Answerable(_columns[i], metrics, fileLevel)) return false;
        }
        Rows += metrics.RecordCount;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var state = Columns[i];
            var nulls = metrics.NullValueCounts![column.FieldId];
            state.Count += metrics.RecordCount - nulls;
            if (!column.MinMax || nulls == metrics.RecordCount) continue;
            var lower = Conversions.FromBytes(column.Type, metrics.LowerBounds![column.FieldId]);
            var upper = Conversions.FromBytes(column.Type, metrics.UpperBounds![column.FieldId]);
            if (column.Floating) state.UpdateDouble(Convert.ToDouble(lower, System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(upper, System.Globalization.CultureInfo.InvariantCulture));
            else state.UpdateLong(Convert.ToInt64(lower, System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(upper, System.Globalization.CultureInfo.InvariantCulture));
            state.HasValue = true;
        }
        return true;
    }

    private static bool Answerable(AggregateColumn column, DataFile metrics, bool fileLevel)
    {
        if (metrics.NullValueCounts is null || !metrics.NullValueCounts.TryGetValue(column.FieldId, out var nulls)) return false;
        if (nulls < 0 || nulls > metrics.RecordCount) return false;
        var allNull = nulls == metrics.RecordCount;
        if (column.Sum && !allNull) return false;
        if (!column.MinMax || allNull) return true;
        if (metrics.LowerBounds is null || !metrics.LowerBounds.TryGetValue(column.FieldId, out var lower)) return false;
        if (metrics.UpperBounds is null || !metrics.UpperBounds.TryGetValue(column.FieldId, out var upper)) return false;
        if (!ExactWidth(column.Type, lower.Length) || !ExactWidth(column.Type, upper.Length)) return false;
        if (!column.Floating) return true;
        // Bounds leave NaN out: they prove the answer only when the file is known to hold no NaN.
        return fileLevel && metrics.NanValueCounts is not null && metrics.NanValueCounts.TryGetValue(column.FieldId, out var nans) && nans == 0;
    }

    // Widths whose single-value serialisation reads back as this type's value: a long (double) column promoted from
    // int (float) may keep 4-byte bounds; a timestamp promoted from date (v3) keeps day bounds, which are not usable.
    private static bool ExactWidth(PrimitiveType type, int width) => type.Id switch
    {
        TypeId.Int or TypeId.Date or TypeId.Float => width == 4,
        TypeId.Long or TypeId.Double => width is 4 or 8,
        _ => width == 8,
    };

    /// <summary>
    /// Folds the rows of one decoded column selected by <paramref name="selection"/> (one bit per row; null: every
    /// row); the caller counts the rows themselves.
    /// </summary>
    public void FoldColumn(int index, IArrowArray array, ulong[]? selection)
    {
        var column = _columns[index];
        var state = Columns[index];
        var n = array.Length;
        if (n == 0) return;
        ulong[]? rented = null;
        var words = Bitmap.WordCount(n);
        ReadOnlySpan<ulong> mask = selection is null ? default : selection.AsSpan(0, words);
        try
        {
            if (array.NullCount > 0)
            {
                rented = ArrayPool<ulong>.Shared.Rent(words);
                var bits = rented.AsSpan(0, words);
                if (selection is null)
                {
                    bits.Fill(ulong.MaxValue);
                    Bitmap.ClearTail(bits, n);
                }
                else
                {
                    selection.AsSpan(0, words).CopyTo(bits);
                }
                ArrowBitmaps.AndValidity(array, bits);
                mask = bits;
            }
            state.Count += mask.IsEmpty ? n : Bitmap.PopCount(mask, n);
            if (!column.Sum && !column.MinMax) return;
            switch (array)
            {
                case PrimitiveArray<int> ints:
                    if (column.Sum) state.IntSum += MaskedSum.Sum(ints.Values, mask);
                    if (column.MinMax && MaskedMinMax.Find(ints.Values, mask, out var imin, out var imax, out _))
                    {
                        state.UpdateLong(imin, imax);
                        state.HasValue = true;
                    }
                    break;
                case PrimitiveArray<long> longs:
                    if (column.Sum) state.IntSum += MaskedSum.Sum(longs.Values, mask);
                    if (column.MinMax && MaskedMinMax.Find(longs.Values, mask, out var lmin, out var lmax, out _))
                    {
                        state.UpdateLong(lmin, lmax);
                        state.HasValue = true;
                    }
                    break;
                case PrimitiveArray<double> doubles:
                    if (column.Sum) MaskedSum.Add(doubles.Values, mask, ref state.FloatSum);
                    if (column.MinMax) FoldMinMax(state, doubles.Values, mask);
                    break;
                case PrimitiveArray<float> floats:
                    if (column.Sum) SumFloats(floats.Values, mask, ref state.FloatSum);
                    if (column.MinMax)
                    {
                        if (MaskedMinMax.Find(floats.Values, mask, out var fmin, out var fmax, out var fnan))
                        {
                            state.UpdateDouble(fmin, fmax);
                            state.HasValue = true;
                        }
                        state.SawNaN |= fnan;
                    }
                    break;
                default:
                    throw Errors.Unsupported($"column {column.Name}: cannot aggregate values of Arrow type {array.Data.DataType.Name}");
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Folds one block of <paramref name="count"/> values of column <paramref name="index"/> in the Arrow layout of
    /// its type (see <see cref="IValueBlockSink"/>) into <paramref name="state"/>: rows set in <paramref name="mask"/>,
    /// or every row when it is empty. The caller counts the rows themselves.
    /// </summary>
    public void FoldValues(int index, ColumnState state, ReadOnlySpan<byte> values, ReadOnlySpan<ulong> mask, int count)
    {
        var column = _columns[index];
        state.Count += mask.IsEmpty ? count : Bitmap.PopCount(mask, count);
        if (!column.Sum && !column.MinMax) return;
        switch (column.Type.Id)
        {
            case TypeId.Int or TypeId.Date:
                {
                    var ints = MemoryMarshal.Cast<byte, int>(values)[..count];
                    if (column.Sum) state.IntSum += MaskedSum.Sum(ints, mask);
                    if (column.MinMax && MaskedMinMax.Find(ints, mask, out var min, out var max, out _))
                    {
                        state.UpdateLong(min, max);
                        state.HasValue = true;
                    }
                    break;
                }
            case TypeId.Double:
                {
                    var doubles = MemoryMarshal.Cast<byte, double>(values)[..count];
                    if (column.Sum) MaskedSum.Add(doubles, mask, ref state.FloatSum);
                    if (column.MinMax) FoldMinMax(state, doubles, mask);
                    break;
                }
            case TypeId.Float:
                {
                    var floats = MemoryMarshal.Cast<byte, float>(values)[..count];
                    if (column.Sum) SumFloats(floats, mask, ref state.FloatSum);
                    if (column.MinMax)
                    {
                        if (MaskedMinMax.Find(floats, mask, out var min, out var max, out var nan))
                        {
                            state.UpdateDouble(min, max);
                            state.HasValue = true;
                        }
                        state.SawNaN |= nan;
                    }
                    break;
                }
            default:
                {
                    var longs = MemoryMarshal.Cast<byte, long>(values)[..count];
                    if (column.Sum) state.IntSum += MaskedSum.Sum(longs, mask);
                    if (column.MinMax && MaskedMinMax.Find(longs, mask, out var min, out var max, out _))
                    {
                        state.UpdateLong(min, max);
                        state.HasValue = true;
                    }
                    break;
                }
        }
    }

    /// <summary>
    /// A column's blocks from <see cref="Floe.Parquet.ParquetDataReader.FoldColumn"/> folded into a scratch state, which
    /// the caller merges only when the whole chunk decoded (a reader may give up after some blocks).
    /// </summary>
    internal sealed class BlockFolder : IValueBlockSink
    {
        private readonly AggregateState _owner;
        private readonly int _index;

        public BlockFolder(AggregateState owner, int index)
        {
            _owner = owner;
            _index = index;
        }

        public ColumnState Scratch { get; private set; } = new();

        public void Reset() => Scratch = new ColumnState();

        public void Add(ReadOnlySpan<byte> values, ReadOnlySpan<ulong> mask, int count) => _owner.FoldValues(_index, Scratch, values, mask, count);
    }

    private static void FoldMinMax(ColumnState state, ReadOnlySpan<double> values, ReadOnlySpan<ulong> mask)
    {
        if (MaskedMinMax.Find(values, mask, out var min, out var max, out var nan))
        {
            state.UpdateDouble(min, max);
            state.HasValue = true;
        }
        state.SawNaN |= nan;
    }

    private static void SumFloats(ReadOnlySpan<float> values, ReadOnlySpan<ulong> mask, ref DoubleSum sum)
    {
        // Widen in blocks of 64-row words so the double kernel (and its mask) applies unchanged.
        const int Block = 4096;
        var buffer = ArrayPool<double>.Shared.Rent(Block);
        try
        {
            for (var start = 0; start < values.Length; start += Block)
            {
                var length = Math.Min(Block, values.Length - start);
                for (var i = 0; i < length; i++) buffer[i] = values[start + i];
                var blockMask = mask.IsEmpty ? default : mask.Slice(start >> 6, (length + 63) >> 6);
                MaskedSum.Add(buffer.AsSpan(0, length), blockMask, ref sum);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>The value of <paramref name="call"/>, whose column (if any) is <paramref name="index"/>.</summary>
    public AggregateValue Result(AggregateCall call, int index)
    {
        if (call.Column is null) return new AggregateValue(call, PrimitiveType.Long, Rows);
        var column = _columns[index];
        var state = Columns[index];
        switch (call.Function)
        {
            case AggregateFunction.Count:
                return new AggregateValue(call, PrimitiveType.Long, state.Count);
            case AggregateFunction.Sum when column.Floating:
                return new AggregateValue(call, PrimitiveType.Double, state.Count == 0 ? null : state.FloatSum.Value);
            case AggregateFunction.Sum:
                if (state.Count == 0) return new AggregateValue(call, PrimitiveType.Long, null);
                if (state.IntSum >= long.MinValue && state.IntSum <= long.MaxValue) return new AggregateValue(call, PrimitiveType.Long, (long)state.IntSum);
                // Beyond 64 bits (DuckDB answers a 128-bit integer): an exact decimal of scale 0.
                if (state.IntSum > (Int128)decimal.MaxValue || state.IntSum < (Int128)decimal.MinValue) throw Errors.Unsupported($"sum({column.Name}) overflows a 96-bit decimal");
                return new AggregateValue(call, PrimitiveType.Decimal(38, 0), (decimal)state.IntSum);
            case AggregateFunction.Avg:
                if (state.Count == 0) return new AggregateValue(call, PrimitiveType.Double, null);
                return new AggregateValue(call, PrimitiveType.Double, column.Floating ? state.FloatSum.Value / state.Count : (double)state.IntSum / state.Count);
            case AggregateFunction.Min:
            case AggregateFunction.Max:
                {
                    var max = call.Function == AggregateFunction.Max;
                    if (column.Floating)
                    {
                        // NaN sorts above every number (DuckDB's order): it is the max whenever present, the min only alone.
                        double? d = max ? (state.SawNaN ? double.NaN : state.HasValue ? state.MaxD : null) : (state.HasValue ? state.MinD : state.SawNaN ? double.NaN : null);
                        // Zero is zero: bounds may carry -0.0 (the spec orders it first), a decode either sign.
                        if (d == 0) d = 0.0;
                        object? v = d is null ? null : column.Type.Id == TypeId.Float ? (object)(float)d.Value : d.Value;
                        return new AggregateValue(call, column.Type, v);
                    }
                    if (!state.HasValue) return new AggregateValue(call, column.Type, null);
                    var l = max ? state.MaxL : state.MinL;
                    object value = column.Type.Id.Storage() == StorageKind.Int32 ? (object)(int)l : l;
                    return new AggregateValue(call, column.Type, value);
                }
            default:
                throw Errors.Unsupported($"aggregate {call}");
        }
    }
}
