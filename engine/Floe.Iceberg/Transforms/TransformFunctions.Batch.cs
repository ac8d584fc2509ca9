using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transforms;

public static partial class TransformFunctions
{
    // Batch forms for the write path. They ignore validity: callers pass the values buffer of an Arrow column and
    // mask null slots themselves (a null slot's output is whatever its garbage value maps to, never an exception,
    // except for the checked int overflow of absurd timestamps beyond ±5.8 million years).

    /// <summary><c>dest[i] = floorDiv(micros[i], 86_400_000_000)</c>: days since 1970-01-01.</summary>
    /// <exception cref="ArgumentException"><paramref name="dest"/> is shorter than <paramref name="micros"/>.</exception>
    public static void Day(ReadOnlySpan<long> micros, Span<int> dest)
    {
        CheckLength(micros.Length, dest.Length);
        for (var i = 0; i < micros.Length; i++) dest[i] = (int)DateMath.FloorDiv(micros[i], DateMath.MicrosPerDay);
    }

    /// <summary><c>dest[i] = floorDiv(micros[i], 3_600_000_000)</c>: hours since 1970-01-01 00:00.</summary>
    /// <exception cref="ArgumentException"><paramref name="dest"/> is shorter than <paramref name="micros"/>.</exception>
    public static void Hour(ReadOnlySpan<long> micros, Span<int> dest)
    {
        CheckLength(micros.Length, dest.Length);
        for (var i = 0; i < micros.Length; i++) dest[i] = (int)DateMath.FloorDiv(micros[i], DateMath.MicrosPerHour);
    }

    /// <summary><c>dest[i]</c> = months since 1970-01 of the timestamp <c>micros[i]</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="dest"/> is shorter than <paramref name="micros"/>.</exception>
    public static void Month(ReadOnlySpan<long> micros, Span<int> dest)
    {
        CheckLength(micros.Length, dest.Length);
        for (var i = 0; i < micros.Length; i++) dest[i] = DateMath.MonthsFromDays(DateMath.FloorDiv(micros[i], DateMath.MicrosPerDay));
    }

    /// <summary><c>dest[i]</c> = years since 1970 of the timestamp <c>micros[i]</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="dest"/> is shorter than <paramref name="micros"/>.</exception>
    public static void Year(ReadOnlySpan<long> micros, Span<int> dest)
    {
        CheckLength(micros.Length, dest.Length);
        for (var i = 0; i < micros.Length; i++) dest[i] = DateMath.YearsFromDays(DateMath.FloorDiv(micros[i], DateMath.MicrosPerDay));
    }

    /// <summary><c>dest[i]</c> = months since 1970-01 of the date <c>days[i]</c>.</summary>
    public static void MonthOfDate(ReadOnlySpan<int> days, Span<int> dest)
    {
        CheckLength(days.Length, dest.Length);
        for (var i = 0; i < days.Length; i++) dest[i] = DateMath.MonthsFromDays(days[i]);
    }

    /// <summary><c>dest[i]</c> = years since 1970 of the date <c>days[i]</c>.</summary>
    public static void YearOfDate(ReadOnlySpan<int> days, Span<int> dest)
    {
        CheckLength(days.Length, dest.Length);
        for (var i = 0; i < days.Length; i++) dest[i] = DateMath.YearsFromDays(days[i]);
    }

    /// <summary><c>dest[i] = (hashLong(values[i]) &amp; Int32.MaxValue) % n</c> (int and date columns).</summary>
    /// <exception cref="ArgumentException">Short destination or <paramref name="n"/> ≤ 0.</exception>
    public static void Bucket(ReadOnlySpan<int> values, int n, Span<int> dest)
    {
        CheckLength(values.Length, dest.Length);
        CheckPositive(n);
        for (var i = 0; i < values.Length; i++) dest[i] = (Murmur3.HashLong(values[i]) & int.MaxValue) % n;
    }

    /// <summary><c>dest[i] = (hashLong(values[i]) &amp; Int32.MaxValue) % n</c> (long, time and µs timestamp columns).</summary>
    /// <exception cref="ArgumentException">Short destination or <paramref name="n"/> ≤ 0.</exception>
    public static void Bucket(ReadOnlySpan<long> values, int n, Span<int> dest)
    {
        CheckLength(values.Length, dest.Length);
        CheckPositive(n);
        for (var i = 0; i < values.Length; i++) dest[i] = (Murmur3.HashLong(values[i]) & int.MaxValue) % n;
    }

    /// <summary>The bucket of one byte sequence (UTF-8 string, binary, fixed): <c>(hashBytes(value) &amp; Int32.MaxValue) % n</c>.</summary>
    public static int Bucket(ReadOnlySpan<byte> value, int n)
    {
        CheckPositive(n);
        return (Murmur3.HashBytes(value) & int.MaxValue) % n;
    }

    /// <summary>
    /// Buckets of variable-length values in Arrow layout (string/binary): value i is
    /// <c>data[offsets[i]..offsets[i+1]]</c>, so <paramref name="offsets"/> has one more entry than <paramref name="dest"/> uses.
    /// </summary>
    /// <exception cref="ArgumentException">Offsets and destination lengths disagree, or <paramref name="n"/> ≤ 0.</exception>
    public static void Bucket(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, int n, Span<int> dest)
    {
        if (offsets.Length == 0) return;
        CheckLength(offsets.Length - 1, dest.Length);
        CheckPositive(n);
        for (var i = 0; i < offsets.Length - 1; i++)
        {
            dest[i] = (Murmur3.HashBytes(data[offsets[i]..offsets[i + 1]]) & int.MaxValue) % n;
        }
    }

    /// <summary><c>dest[i] = values[i] - floorMod(values[i], w)</c>.</summary>
    public static void Truncate(ReadOnlySpan<int> values, int w, Span<int> dest)
    {
        CheckLength(values.Length, dest.Length);
        CheckPositive(w);
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            dest[i] = v - (((v % w) + w) % w);
        }
    }

    /// <summary><c>dest[i] = values[i] - floorMod(values[i], w)</c>.</summary>
    public static void Truncate(ReadOnlySpan<long> values, long w, Span<long> dest)
    {
        CheckLength(values.Length, dest.Length);
        if (w <= 0) throw new ArgumentOutOfRangeException(nameof(w), w, "width must be positive");
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            dest[i] = v - (((v % w) + w) % w);
        }
    }

    /// <summary>
    /// Applies a time or bucket transform to a column of 64-bit values of <paramref name="sourceType"/> (time, timestamp
    /// in µs, timestamp_ns in ns, long), converting nanoseconds to microseconds first as the spec requires.
    /// </summary>
    /// <exception cref="FloeException">The transform is not year/month/day/hour/bucket or does not apply to the type.</exception>
    public static void ApplyToLongs(Transform transform, PrimitiveType sourceType, ReadOnlySpan<long> values, Span<int> dest)
    {
        if (!CanApply(transform, sourceType) || sourceType.Id is TypeId.Int or TypeId.Date)
        {
            throw Errors.InvalidArgument($"partition transform {transform} cannot be applied to 64-bit values of type {sourceType}");
        }
        ReadOnlySpan<long> micros = values;
        long[]? rented = null;
        if (IsNanos(sourceType.Id))
        {
            rented = System.Buffers.ArrayPool<long>.Shared.Rent(values.Length);
            for (var i = 0; i < values.Length; i++) rented[i] = DateMath.FloorDiv(values[i], DateMath.NanosPerMicro);
            micros = rented.AsSpan(0, values.Length);
        }
        try
        {
            switch (transform.Kind)
            {
                case TransformKind.Year: Year(micros, dest); break;
                case TransformKind.Month: Month(micros, dest); break;
                case TransformKind.Day: Day(micros, dest); break;
                case TransformKind.Hour: Hour(micros, dest); break;
                case TransformKind.Bucket: Bucket(micros, transform.Parameter, dest); break;
                default: throw Errors.InvalidArgument($"partition transform {transform} does not produce int values; use Apply");
            }
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<long>.Shared.Return(rented);
        }
    }

    private static void CheckLength(int source, int dest)
    {
        if (dest < source) throw new ArgumentException($"destination length {dest} is shorter than source length {source}", nameof(dest));
    }

    private static void CheckPositive(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "bucket count and width must be positive");
    }
}
