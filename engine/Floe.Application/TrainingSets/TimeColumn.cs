using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;

namespace Floe.Application.TrainingSets;

/// <summary>Reads a time column (timestamps of any unit, or dates) as microseconds since the epoch.</summary>
internal static class TimeColumn
{
    /// <summary>Marks a null time: such a spine row gets no features, such a feature row is never picked.</summary>
    public const long Null = long.MinValue;

    /// <summary>Throws unless <paramref name="type"/> is a timestamp or date type.</summary>
    public static void Check(IArrowType type, string column, string origin)
    {
        if (type is not (TimestampType or Date32Type))
        {
            throw Errors.InvalidArgument($"{origin}: time column '{column}' is {type.Name}, not a timestamp or date");
        }
    }

    /// <summary>Writes the values of <paramref name="array"/> as microseconds into <paramref name="micros"/>; nulls as <see cref="Null"/>.</summary>
    public static void ToMicros(IArrowArray array, Span<long> micros)
    {
        var data = array.Data;
        var n = micros.Length;
        if (data.DataType is Date32Type)
        {
            var days = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(data.Offset, n);
            for (var i = 0; i < n; i++) micros[i] = days[i] * 86_400_000_000L;
        }
        else
        {
            var values = MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span).Slice(data.Offset, n);
            switch (((TimestampType)data.DataType).Unit)
            {
                case TimeUnit.Microsecond:
                    values.CopyTo(micros);
                    break;
                case TimeUnit.Nanosecond:
                    // Floor, so a feature a few nanoseconds after a spine time never rounds onto it.
                    for (var i = 0; i < n; i++) micros[i] = values[i] >= 0 ? values[i] / 1000 : -((-values[i] + 999) / 1000);
                    break;
                case TimeUnit.Millisecond:
                    for (var i = 0; i < n; i++) micros[i] = values[i] * 1000;
                    break;
                default:
                    for (var i = 0; i < n; i++) micros[i] = values[i] * 1_000_000;
                    break;
            }
        }
        if (data.NullCount != 0 && !data.Buffers[0].IsEmpty)
        {
            var bits = data.Buffers[0].Span;
            for (var i = 0; i < n; i++)
            {
                var bit = data.Offset + i;
                if ((bits[bit >> 3] & (1 << (bit & 7))) == 0) micros[i] = Null;
            }
        }
    }
}
