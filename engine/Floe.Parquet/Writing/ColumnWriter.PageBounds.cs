using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Floe.Parquet.Writing;

/// <summary>Min/max of one data page for the Parquet ColumnIndex, over its PLAIN values or its dictionary indices.</summary>
internal sealed partial class ColumnWriter
{
    /// <summary>The kinds whose pages get bounds: signed numbers compared as numbers.</summary>
    private static bool HasPageBounds(ColumnKind kind) => kind is ColumnKind.Int32 or ColumnKind.Int64 or ColumnKind.Float or ColumnKind.Double;

    /// <summary>
    /// The PLAIN min/max of the page whose <paramref name="count"/> non-null values start at byte
    /// <paramref name="valueOffset"/> of the buffered values; false when they are all NaN (no bound can be written).
    /// </summary>
    /// <param name="valueOffset">Where the page's values start in the buffered values (PLAIN, or dictionary indices).</param>
    /// <param name="count">The page's non-null values.</param>
    /// <param name="min">The lower bound, PLAIN encoded.</param>
    /// <param name="max">The upper bound, PLAIN encoded.</param>
    /// <param name="mergeStatistics">
    /// Also fold the page's values into the chunk and file statistics (and NaN count) from the same pass: for PLAIN
    /// values appended without statistics (see <see cref="DefersStatistics"/>).
    /// </param>
    private bool TryPageBounds(int valueOffset, int count, out byte[] min, out byte[] max, bool mergeStatistics = false)
    {
        min = max = System.Array.Empty<byte>();
        System.Diagnostics.Debug.Assert(!mergeStatistics || !_dictionaryMode);
        var values = ValueSpan;
        var dictionary = _dictionary.WrittenSpan;
        ReadOnlySpan<int> indices = _dictionaryMode ? MemoryMarshal.Cast<byte, int>(values.Slice(valueOffset, count * 4)) : default;
        switch (Descriptor.Kind)
        {
            case ColumnKind.Int32:
                {
                    var v = _dictionaryMode ? MemoryMarshal.Cast<byte, int>(dictionary) : MemoryMarshal.Cast<byte, int>(values.Slice(valueOffset, count * 4));
                    var (lo, hi) = _dictionaryMode ? Range(v, indices) : Range(v);
                    if (mergeStatistics) MergeLong(lo, hi);
                    min = new byte[4];
                    max = new byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(min, lo);
                    BinaryPrimitives.WriteInt32LittleEndian(max, hi);
                    return true;
                }
            case ColumnKind.Int64:
                {
                    var v = _dictionaryMode ? MemoryMarshal.Cast<byte, long>(dictionary) : MemoryMarshal.Cast<byte, long>(values.Slice(valueOffset, count * 8));
                    var (lo, hi) = _dictionaryMode ? Range(v, indices) : Range(v);
                    if (mergeStatistics) MergeLong(lo, hi);
                    min = new byte[8];
                    max = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(min, lo);
                    BinaryPrimitives.WriteInt64LittleEndian(max, hi);
                    return true;
                }
            case ColumnKind.Float:
                {
                    var v = _dictionaryMode ? MemoryMarshal.Cast<byte, float>(dictionary) : MemoryMarshal.Cast<byte, float>(values.Slice(valueOffset, count * 4));
                    if (!FloatRange(v, indices, _dictionaryMode, out var lo, out var hi, out var nans))
                    {
                        if (mergeStatistics) MergeFloating(false, lo, hi, nans);
                        return false;
                    }
                    if (mergeStatistics) MergeFloating(true, lo, hi, nans);
                    min = new byte[4];
                    max = new byte[4];
                    // Parquet's rule for zeros: a min of zero is written -0.0 and a max of zero +0.0.
                    BinaryPrimitives.WriteSingleLittleEndian(min, lo == 0 ? -0f : lo);
                    BinaryPrimitives.WriteSingleLittleEndian(max, hi == 0 ? 0f : hi);
                    return true;
                }
            case ColumnKind.Double:
                {
                    var v = _dictionaryMode ? MemoryMarshal.Cast<byte, double>(dictionary) : MemoryMarshal.Cast<byte, double>(values.Slice(valueOffset, count * 8));
                    if (!FloatRange(v, indices, _dictionaryMode, out var lo, out var hi, out var nans))
                    {
                        if (mergeStatistics) MergeFloating(false, lo, hi, nans);
                        return false;
                    }
                    if (mergeStatistics) MergeFloating(true, lo, hi, nans);
                    min = new byte[8];
                    max = new byte[8];
                    BinaryPrimitives.WriteDoubleLittleEndian(min, lo == 0 ? -0d : lo);
                    BinaryPrimitives.WriteDoubleLittleEndian(max, hi == 0 ? 0d : hi);
                    return true;
                }
            default:
                return false;
        }
    }

    private static (T Min, T Max) Range<T>(ReadOnlySpan<T> values)
        where T : unmanaged, System.Numerics.INumber<T>, System.Numerics.IMinMaxValue<T> => MinMax.Of(values);

    private static (T Min, T Max) Range<T>(ReadOnlySpan<T> dictionary, ReadOnlySpan<int> indices)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        T lo = dictionary[indices[0]], hi = lo;
        foreach (var i in indices)
        {
            var x = dictionary[i];
            if (x < lo) lo = x;
            if (x > hi) hi = x;
        }
        return (lo, hi);
    }

    /// <summary>Min/max ignoring NaN; false when every value is NaN. <paramref name="nans"/>: the NaNs among PLAIN values (0 through a dictionary).</summary>
    private static bool FloatRange<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> indices, bool viaDictionary, out T min, out T max, out long nans)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        nans = 0;
        if (!viaDictionary)
        {
            if (MinMax.OfFloating(values, out min, out max, out nans)) return true;
            min = max = T.Zero;
            return false;
        }
        min = max = T.Zero;
        if (typeof(T) == typeof(double) && Avx2.IsSupported
            && GatherRange(MemoryMarshal.Cast<T, double>(values), indices, out var lo, out var hi))
        {
            min = Unsafe.As<double, T>(ref lo);
            max = Unsafe.As<double, T>(ref hi);
            return true;
        }
        var has = false;
        var n = indices.Length;
        for (var i = 0; i < n; i++)
        {
            var x = values[indices[i]];
            if (T.IsNaN(x)) continue;
            if (!has)
            {
                min = max = x;
                has = true;
                continue;
            }
            if (x < min) min = x;
            if (x > max) max = x;
        }
        return has;
    }

    /// <summary>
    /// Min/max of <c>dictionary[indices[i]]</c>, four AVX2 gathers at a time, when no value met is NaN (false otherwise,
    /// and for fewer than 16 indices: the scalar loop then decides). The feature job's rolling maxima take their page
    /// bounds this way; the scalar loop, a NaN test and two compares a value, was 1% of its instructions (callgrind, 1M).
    /// Which of -0 and +0 comes out does not matter: bounds of zero are written as -0 (min) and +0 (max).
    /// </summary>
    private static unsafe bool GatherRange(ReadOnlySpan<double> dictionary, ReadOnlySpan<int> indices, out double min, out double max)
    {
        min = max = 0;
        var n = indices.Length;
        if (n < 16 || dictionary.IsEmpty) return false;
        // The gathers read unchecked: every index must be inside the dictionary first.
        ref int first = ref MemoryMarshal.GetReference(indices);
        var lowest = System.Numerics.Tensors.TensorPrimitives.Min(indices);
        var highest = System.Numerics.Tensors.TensorPrimitives.Max(indices);
        if (lowest < 0 || highest >= dictionary.Length) return false;
        fixed (double* d = dictionary)
        {
            var vlo = Vector256.Create(double.PositiveInfinity);
            var vhi = Vector256.Create(double.NegativeInfinity);
            var nan = Vector256<double>.Zero;
            var i = 0;
            for (; i <= n - 4; i += 4)
            {
                var v = Avx2.GatherVector256(d, Vector128.LoadUnsafe(ref first, (nuint)i), 8);
                // Without NaN, vminpd and vmaxpd are the compares of the scalar loop.
                vlo = Avx.Min(vlo, v);
                vhi = Avx.Max(vhi, v);
                nan = Avx.Or(nan, Avx.CompareUnordered(v, v));
            }
            if (!Avx.TestZ(nan, nan)) return false;
            min = double.PositiveInfinity;
            max = double.NegativeInfinity;
            for (var k = 0; k < 4; k++)
            {
                if (vlo[k] < min) min = vlo[k];
                if (vhi[k] > max) max = vhi[k];
            }
            for (; i < n; i++)
            {
                var x = d[indices[i]];
                if (double.IsNaN(x)) return false;
                if (x < min) min = x;
                if (x > max) max = x;
            }
        }
        return true;
    }
}
