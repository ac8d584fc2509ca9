using System.Globalization;
using System.Text;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transforms;

public static partial class TransformFunctions
{
    /// <summary>
    /// The human-readable form of a partition value (as Iceberg Java's <c>toHumanString</c>), used in partition paths:
    /// year <c>2024</c>, month <c>2024-01</c>, day <c>2024-01-03</c>, hour <c>2024-01-03-10</c>, bucket the number,
    /// identity/truncate by source type (dates ISO, timestamps <c>2024-01-03T10:00</c> with <c>Z</c> for timestamptz, binary as
    /// base64, uuid lowercase), and <c>null</c> for null.
    /// </summary>
    /// <param name="transform">The partition field's transform.</param>
    /// <param name="sourceType">The type of the source column (not the partition value's type).</param>
    /// <param name="value">The partition value (already transformed).</param>
    public static string ToHumanString(Transform transform, PrimitiveType sourceType, object? value)
    {
        if (value is null || transform.Kind == TransformKind.Void) return "null";
        var inv = CultureInfo.InvariantCulture;
        switch (transform.Kind)
        {
            case TransformKind.Year:
                return (1970L + As<int>(PrimitiveType.Int, value)).ToString("0000", inv);
            case TransformKind.Month:
                {
                    var m = As<int>(PrimitiveType.Int, value);
                    return (1970 + DateMath.FloorDiv(m, 12)).ToString("0000", inv) + "-" + (1 + DateMath.FloorMod(m, 12)).ToString("00", inv);
                }
            case TransformKind.Day:
                return FormatDate(As<int>(PrimitiveType.Date, value));
            case TransformKind.Hour:
                {
                    var h = As<int>(PrimitiveType.Int, value);
                    var days = DateMath.FloorDiv(h, 24);
                    return FormatDate(days) + "-" + DateMath.FloorMod(h, 24).ToString("00", inv);
                }
            case TransformKind.Bucket:
                return As<int>(PrimitiveType.Int, value).ToString(inv);
            default:
                return ValueToHumanString(sourceType, value);
        }
    }

    /// <summary>
    /// The partition path of a tuple: <c>name=value</c> per field joined by <c>/</c>, both sides URL-encoded as Java's
    /// <c>URLEncoder</c> does (space → <c>+</c>, unreserved <c>A-Z a-z 0-9 . - * _</c> kept, the rest <c>%XX</c>), e.g.
    /// <c>event_time_day=2024-01-03/entity_id_bucket=5</c>. An unpartitioned spec gives the empty string.
    /// </summary>
    /// <exception cref="FloeException">The tuple's arity differs from the spec, or a source column is missing.</exception>
    public static string PartitionPath(PartitionSpec spec, Schema schema, PartitionData partition)
    {
        if (partition.Count != spec.Fields.Count)
        {
            throw Errors.InvalidArgument($"partition tuple {partition} has {partition.Count} values but spec {spec.SpecId} has {spec.Fields.Count} fields");
        }
        var sb = new StringBuilder();
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var f = spec.Fields[i];
            if (i > 0) sb.Append('/');
            UrlEncode(sb, f.Name);
            sb.Append('=');
            string human;
            if (f.Transform.Kind == TransformKind.Void || partition[i] is null)
            {
                human = "null";
            }
            else
            {
                var source = schema.FindField(f.SourceId)?.Type as PrimitiveType
                    ?? throw Errors.InvalidArgument($"partition field '{f.Name}': source column id {f.SourceId} is not a primitive column of schema {schema.SchemaId}");
                human = ToHumanString(f.Transform, source, partition[i]);
            }
            UrlEncode(sb, human);
        }
        return sb.ToString();
    }

    /// <summary>Appends <paramref name="s"/> encoded as <c>application/x-www-form-urlencoded</c> UTF-8 (Java URLEncoder).</summary>
    public static void UrlEncode(StringBuilder sb, string s)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '*' or '_')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                int len;
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    len = Encoding.UTF8.GetBytes(s.AsSpan(i, 2), utf8);
                    i++;
                }
                else
                {
                    len = Encoding.UTF8.GetBytes(s.AsSpan(i, 1), utf8);
                }
                for (var b = 0; b < len; b++)
                {
                    sb.Append('%').Append(utf8[b].ToString("X2", CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private static string ValueToHumanString(PrimitiveType type, object value)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (type.Id)
        {
            case TypeId.Boolean: return As<bool>(type, value) ? "true" : "false";
            case TypeId.Int: return As<int>(type, value).ToString(inv);
            case TypeId.Long: return As<long>(type, value).ToString(inv);
            case TypeId.Float: return JavaFloating(As<float>(type, value).ToString("R", inv));
            case TypeId.Double: return JavaFloating(As<double>(type, value).ToString("R", inv));
            case TypeId.Decimal: return As<decimal>(type, value).ToString(inv);
            case TypeId.Date: return FormatDate(As<int>(type, value));
            case TypeId.Time:
                {
                    var micros = As<long>(type, value);
                    return FormatTime(micros * DateMath.NanosPerMicro);
                }
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                {
                    var v = As<long>(type, value);
                    var perDay = IsNanos(type.Id) ? DateMath.MicrosPerDay * DateMath.NanosPerMicro : DateMath.MicrosPerDay;
                    var days = DateMath.FloorDiv(v, perDay);
                    var nanosOfDay = DateMath.FloorMod(v, perDay) * (IsNanos(type.Id) ? 1 : DateMath.NanosPerMicro);
                    var s = FormatDate(days) + "T" + FormatTime(nanosOfDay);
                    return type.Id is TypeId.TimestampTz or TypeId.TimestampTzNs ? s + "Z" : s;
                }
            case TypeId.String: return As<string>(type, value);
            case TypeId.Uuid: return As<Guid>(type, value).ToString("D");
            case TypeId.Fixed:
            case TypeId.Binary: return Convert.ToBase64String(As<byte[]>(type, value));
            default: return value.ToString() ?? "null";
        }
    }

    private static string JavaFloating(string s) =>
        s.Contains('.') || s.Contains('E') || s.Contains('N') || s.Contains('I') ? s : s + ".0";

    /// <summary>ISO date of a day number as Java's LocalDate.toString (4+ digit year, '+' above 9999).</summary>
    internal static string FormatDate(long days)
    {
        DateMath.CivilFromDays(days, out var y, out var m, out var d);
        var inv = CultureInfo.InvariantCulture;
        var year = y switch
        {
            > 9999 => "+" + y.ToString(inv),
            < 0 => "-" + (-y).ToString("0000", inv),
            _ => y.ToString("0000", inv),
        };
        return year + "-" + m.ToString("00", inv) + "-" + d.ToString("00", inv);
    }

    /// <summary>Java LocalTime.toString: HH:mm, then :ss and a 3/6/9-digit fraction only when non-zero.</summary>
    internal static string FormatTime(long nanosOfDay)
    {
        var inv = CultureInfo.InvariantCulture;
        var totalSeconds = nanosOfDay / 1_000_000_000L;
        var nanos = nanosOfDay % 1_000_000_000L;
        var h = totalSeconds / 3600;
        var min = totalSeconds / 60 % 60;
        var sec = totalSeconds % 60;
        var s = h.ToString("00", inv) + ":" + min.ToString("00", inv);
        if (sec == 0 && nanos == 0) return s;
        s += ":" + sec.ToString("00", inv);
        if (nanos == 0) return s;
        if (nanos % 1_000_000 == 0) return s + "." + (nanos / 1_000_000).ToString("000", inv);
        if (nanos % 1_000 == 0) return s + "." + (nanos / 1_000).ToString("000000", inv);
        return s + "." + nanos.ToString("000000000", inv);
    }
}
