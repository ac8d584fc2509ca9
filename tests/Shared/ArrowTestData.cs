using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Floe.Tests.Shared;

/// <summary>Builds Arrow arrays from plain values with explicit nulls (null entries in the inputs).</summary>
internal static class ArrowTestData
{
    public static IArrowArray Primitive<T>(IArrowType type, IReadOnlyList<T?> values)
        where T : struct
    {
        var size = Marshal.SizeOf<T>();
        var data = new byte[values.Count * size];
        var span = MemoryMarshal.Cast<byte, T>(data.AsSpan());
        for (var i = 0; i < values.Count; i++) span[i] = values[i] ?? default;
        return Build(type, values.Count, Validity(values.Select(v => v.HasValue).ToArray()), new ArrowBuffer(data));
    }

    public static IArrowArray Booleans(IReadOnlyList<bool?> values)
    {
        var bits = new byte[(values.Count + 7) / 8];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == true) bits[i / 8] |= (byte)(1 << (i % 8));
        }
        return Build(BooleanType.Default, values.Count, Validity(values.Select(v => v.HasValue).ToArray()), new ArrowBuffer(bits));
    }

    public static IArrowArray Strings(IReadOnlyList<string?> values) =>
        Binary(StringType.Default, values.Select(v => v is null ? null : Encoding.UTF8.GetBytes(v)).ToList());

    public static IArrowArray Binary(IArrowType type, IReadOnlyList<byte[]?> values)
    {
        var offsets = new int[values.Count + 1];
        var bytes = new List<byte>();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } v) bytes.AddRange(v);
            offsets[i + 1] = bytes.Count;
        }
        return Build(type, values.Count, Validity(values.Select(v => v is not null).ToArray()),
            new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(bytes.ToArray()));
    }

    public static IArrowArray Fixed(int width, IReadOnlyList<byte[]?> values, IArrowType? type = null)
    {
        var data = new byte[values.Count * width];
        for (var i = 0; i < values.Count; i++) values[i]?.CopyTo(data, i * width);
        return Build(type ?? new FixedSizeBinaryType(width), values.Count, Validity(values.Select(v => v is not null).ToArray()), new ArrowBuffer(data));
    }

    public static IArrowArray Decimals(int precision, int scale, IReadOnlyList<decimal?> values)
    {
        var data = new byte[values.Count * 16];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } d) continue;
            var unscaled = (Int128)(d * (decimal)Math.Pow(10, scale));
            BinaryPrimitives.WriteInt128LittleEndian(data.AsSpan(i * 16), unscaled);
        }
        return Build(new Decimal128Type(precision, scale), values.Count, Validity(values.Select(v => v.HasValue).ToArray()), new ArrowBuffer(data));
    }

    private static (ArrowBuffer Buffer, int Nulls) Validity(bool[] valid)
    {
        var bits = new byte[(valid.Length + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < valid.Length; i++)
        {
            if (valid[i]) bits[i / 8] |= (byte)(1 << (i % 8));
            else nulls++;
        }
        return (nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(bits), nulls);
    }

    private static IArrowArray Build(IArrowType type, int length, (ArrowBuffer Buffer, int Nulls) validity, params ArrowBuffer[] buffers)
    {
        var all = new ArrowBuffer[buffers.Length + 1];
        all[0] = validity.Buffer;
        buffers.CopyTo(all, 1);
        return ArrowArrayFactory.BuildArray(new ArrayData(type, length, validity.Nulls, 0, all));
    }
}
