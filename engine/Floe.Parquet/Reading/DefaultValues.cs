using System.Globalization;
using System.Text.Json.Nodes;
using Floe.Core.Errors;
using Floe.Core.Types;

namespace Floe.Parquet.Reading;

/// <summary>Parses the spec's JSON single-value form (field <c>initial-default</c>) into the engine's CLR representation.</summary>
internal static class DefaultValues
{
    public static object? Parse(JsonNode? node, IcebergType type, string fieldName)
    {
        if (node is null) return null;
        if (type is not PrimitiveType p)
        {
            throw Errors.Unsupported($"field '{fieldName}': defaults of nested type {type} are not supported");
        }
        try
        {
            return p.Id switch
            {
                TypeId.Boolean => node.GetValue<bool>(),
                TypeId.Int => node.GetValue<int>(),
                TypeId.Long => node.GetValue<long>(),
                TypeId.Float => (float)node.GetValue<double>(),
                TypeId.Double => node.GetValue<double>(),
                TypeId.Decimal => decimal.Parse(node.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture),
                TypeId.Date => (int)(DateOnly.ParseExact(node.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber),
                TypeId.Time => TimeOnly.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture).Ticks / 10,
                TypeId.Timestamp or TypeId.TimestampTz => Micros(node.GetValue<string>()),
                TypeId.TimestampNs or TypeId.TimestampTzNs => Nanos(node.GetValue<string>()),
                TypeId.String => node.GetValue<string>(),
                TypeId.Uuid => Guid.Parse(node.GetValue<string>()),
                TypeId.Fixed or TypeId.Binary => Convert.FromHexString(node.GetValue<string>()),
                _ => throw Errors.Unsupported($"field '{fieldName}': default of type {p}"),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            throw Errors.InvalidData($"field '{fieldName}': initial-default {node.ToJsonString()} is not a valid {p} value");
        }
    }

    private static long Micros(string text) => (Parse(text).Ticks - DateTime.UnixEpoch.Ticks) / 10;

    private static long Nanos(string text)
    {
        // DateTime keeps 100 ns ticks; the digits beyond seven are added back by hand.
        var fraction = text.IndexOf('.', StringComparison.Ordinal);
        var extra = 0;
        if (fraction >= 0)
        {
            var end = fraction + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            var digits = text[(fraction + 1)..end];
            if (digits.Length > 7)
            {
                extra = int.Parse(digits[7..Math.Min(9, digits.Length)].PadRight(2, '0'), CultureInfo.InvariantCulture);
                text = text[..(fraction + 8)] + text[end..];
            }
        }
        return (Parse(text).Ticks - DateTime.UnixEpoch.Ticks) * 100 + extra;
    }

    private static DateTime Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).UtcDateTime;
}
