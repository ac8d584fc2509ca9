using System.Globalization;
using System.Numerics;
using System.Text;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transforms;

/// <summary>
/// The spec's partition transforms on single values in the engine's CLR representation (see <see cref="PrimitiveType"/>),
/// plus batch span forms for the write path (<c>TransformFunctions.Batch.cs</c>) and human strings for partition
/// paths (<c>TransformFunctions.Human.cs</c>). Time transforms use floor semantics, so instants before 1970 fall
/// into the preceding hour/day/month/year.
/// </summary>
public static partial class TransformFunctions
{
    /// <summary>
    /// True when <paramref name="transform"/> may be applied to <paramref name="sourceType"/> (spec table "Partition
    /// Transforms"): bucket on int/long/decimal/date/time/timestamps/string/uuid/fixed/binary; truncate on
    /// int/long/decimal/string/binary; year/month/day on date and timestamps; hour on timestamps; identity and void on any.
    /// </summary>
    public static bool CanApply(Transform transform, PrimitiveType sourceType)
    {
        var id = sourceType.Id;
        return transform.Kind switch
        {
            TransformKind.Identity or TransformKind.Void => true,
            TransformKind.Bucket => id is not (TypeId.Boolean or TypeId.Float or TypeId.Double) && transform.Parameter > 0,
            TransformKind.Truncate => id is TypeId.Int or TypeId.Long or TypeId.Decimal or TypeId.String or TypeId.Binary && transform.Parameter > 0,
            TransformKind.Year or TransformKind.Month or TransformKind.Day => id == TypeId.Date || IsTimestamp(id),
            TransformKind.Hour => IsTimestamp(id),
            _ => false,
        };
    }

    /// <summary>Throws when <paramref name="transform"/> cannot be applied to the column <paramref name="columnName"/>.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> naming column, type and transform.</exception>
    public static void EnsureCanApply(Transform transform, PrimitiveType sourceType, string columnName)
    {
        if (!CanApply(transform, sourceType))
        {
            throw Errors.InvalidArgument($"partition transform {transform} cannot be applied to column '{columnName}' of type {sourceType}");
        }
    }

    /// <summary>
    /// Applies <paramref name="transform"/> to one value. Null (and void) give null. Results: identity and truncate keep the
    /// source representation; year/month/day/hour/bucket give an <see cref="int"/> (day = days since 1970-01-01).
    /// </summary>
    /// <exception cref="FloeException">The transform does not apply to the type, or the value's CLR type is wrong.</exception>
    public static object? Apply(Transform transform, PrimitiveType sourceType, object? value)
    {
        if (value is null || transform.Kind == TransformKind.Void) return null;
        if (!CanApply(transform, sourceType))
        {
            throw Errors.InvalidArgument($"partition transform {transform} cannot be applied to type {sourceType}");
        }
        switch (transform.Kind)
        {
            case TransformKind.Identity:
                return value;
            case TransformKind.Bucket:
                return BucketOf(Hash(sourceType, value), transform.Parameter);
            case TransformKind.Truncate:
                return Truncate(sourceType, value, transform.Parameter);
            case TransformKind.Year:
            case TransformKind.Month:
            case TransformKind.Day:
            case TransformKind.Hour:
                return TimeTransform(transform.Kind, sourceType, value);
            default:
                throw Errors.Unsupported($"transform {transform} is not supported");
        }
    }

    /// <summary>
    /// The spec's 32-bit hash of a value (Appendix B): int/long/date/time/timestamps as <c>hashLong</c> (nanosecond
    /// timestamps floored to microseconds first), decimal as the minimal big-endian two's-complement bytes of the unscaled
    /// value, string as UTF-8, uuid as 16 big-endian bytes, fixed/binary as is, boolean as 0/1, float/double as the
    /// canonical double bits.
    /// </summary>
    public static int Hash(PrimitiveType type, object value)
    {
        switch (type.Id)
        {
            case TypeId.Boolean: return Murmur3.HashInt(As<bool>(type, value) ? 1 : 0);
            case TypeId.Int:
            case TypeId.Date: return Murmur3.HashInt(As<int>(type, value));
            case TypeId.Long:
            case TypeId.Time:
            case TypeId.Timestamp:
            case TypeId.TimestampTz: return Murmur3.HashLong(As<long>(type, value));
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs: return Murmur3.HashLong(DateMath.FloorDiv(As<long>(type, value), DateMath.NanosPerMicro));
            case TypeId.Float: return Murmur3.HashDouble(As<float>(type, value));
            case TypeId.Double: return Murmur3.HashDouble(As<double>(type, value));
            case TypeId.Decimal:
                {
                    var unscaled = Conversions.UnscaledDecimal(As<decimal>(type, value), type.Scale);
                    return Murmur3.HashBytes(unscaled.ToByteArray(isUnsigned: false, isBigEndian: true));
                }
            case TypeId.String: return HashString(As<string>(type, value));
            case TypeId.Uuid:
                {
                    Span<byte> b = stackalloc byte[16];
                    As<Guid>(type, value).TryWriteBytes(b, bigEndian: true, out _);
                    return Murmur3.HashBytes(b);
                }
            case TypeId.Fixed:
            case TypeId.Binary: return Murmur3.HashBytes(As<byte[]>(type, value));
            default: throw Errors.Unsupported($"cannot hash a value of type {type}");
        }
    }

    /// <summary><c>(hash &amp; Int32.MaxValue) % n</c>.</summary>
    public static int BucketOf(int hash, int n) => (hash & int.MaxValue) % n;

    internal static bool IsTimestamp(TypeId id) =>
        id is TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs;

    internal static bool IsNanos(TypeId id) => id is TypeId.TimestampNs or TypeId.TimestampTzNs;

    internal static T As<T>(PrimitiveType type, object value)
    {
        if (value is T t) return t;
        throw Errors.InvalidArgument($"a {type} value must be a {typeof(T).Name}, found {value.GetType().Name} '{value}'");
    }

    private static int HashString(string s)
    {
        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max <= 512)
        {
            Span<byte> buffer = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(s, buffer);
            return Murmur3.HashBytes(buffer[..n]);
        }
        return Murmur3.HashBytes(Encoding.UTF8.GetBytes(s));
    }

    private static object Truncate(PrimitiveType type, object value, int w)
    {
        switch (type.Id)
        {
            case TypeId.Int:
                {
                    var v = As<int>(type, value);
                    return v - (((v % w) + w) % w);
                }
            case TypeId.Long:
                {
                    var v = As<long>(type, value);
                    return v - (((v % w) + w) % w);
                }
            case TypeId.Decimal:
                {
                    var u = Conversions.UnscaledDecimal(As<decimal>(type, value), type.Scale);
                    var bw = new BigInteger(w);
                    return Conversions.ScaledDecimal(u - (((u % bw) + bw) % bw), type.Scale);
                }
            case TypeId.String:
                return TruncateString(As<string>(type, value), w);
            case TypeId.Binary:
                {
                    var b = As<byte[]>(type, value);
                    return b.Length <= w ? b : b.AsSpan(0, w).ToArray();
                }
            default:
                throw Errors.InvalidArgument($"truncate[{w}] cannot be applied to type {type}");
        }
    }

    /// <summary>The first <paramref name="codePoints"/> Unicode code points (a surrogate pair counts once).</summary>
    internal static string TruncateString(string s, int codePoints)
    {
        if (s.Length <= codePoints) return s;
        var i = 0;
        for (var count = 0; count < codePoints && i < s.Length; count++)
        {
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        }
        return s[..i];
    }

    private static int TimeTransform(TransformKind kind, PrimitiveType type, object value)
    {
        if (type.Id == TypeId.Date)
        {
            var days = As<int>(type, value);
            return kind switch
            {
                TransformKind.Year => DateMath.YearsFromDays(days),
                TransformKind.Month => DateMath.MonthsFromDays(days),
                _ => days,
            };
        }
        var micros = As<long>(type, value);
        if (IsNanos(type.Id)) micros = DateMath.FloorDiv(micros, DateMath.NanosPerMicro);
        return kind switch
        {
            TransformKind.Year => DateMath.YearsFromDays(DateMath.FloorDiv(micros, DateMath.MicrosPerDay)),
            TransformKind.Month => DateMath.MonthsFromDays(DateMath.FloorDiv(micros, DateMath.MicrosPerDay)),
            TransformKind.Day => checked((int)DateMath.FloorDiv(micros, DateMath.MicrosPerDay)),
            _ => checked((int)DateMath.FloorDiv(micros, DateMath.MicrosPerHour)),
        };
    }
}
