using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Floe.Core.Types;
using IcebergListType = Floe.Core.Types.ListType;
using IcebergMapType = Floe.Core.Types.MapType;
using IcebergStructType = Floe.Core.Types.StructType;

namespace Floe.Parquet.Reading;

/// <summary>Builds Arrow arrays from leaf values, constants and nulls.</summary>
internal static class ArrowArrays
{
    /// <summary>
    /// The primitive array for <paramref name="length"/> slots of a leaf; slot i reads level entry
    /// <c>slots[i]</c> (entry i when <paramref name="slots"/> is null).
    /// </summary>
    public static IArrowArray FromLeaf(LeafColumn leaf, PrimitiveType type, int[]? slots, int length)
    {
        var valueIndex = new int[length];
        var validity = new byte[(length + 7) >> 3];
        var nulls = 0;
        var next = 0;
        for (var i = 0; i < length; i++)
        {
            var entry = slots is null ? i : slots[i];
            if (leaf.IsDefined(entry))
            {
                valueIndex[i] = next++;
                validity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                valueIndex[i] = -1;
                nulls++;
            }
        }
        if (slots is not null)
        {
            // Values are numbered over all defined entries of the leaf, not only this node's slots; the two agree
            // because a defined leaf entry is always a slot of the leaf node.
            next = 0;
            var prefix = new int[leaf.LevelCount + 1];
            for (var e = 0; e < leaf.LevelCount; e++)
            {
                prefix[e] = next;
                if (leaf.IsDefined(e)) next++;
            }
            for (var i = 0; i < length; i++)
            {
                if (valueIndex[i] >= 0) valueIndex[i] = prefix[slots[i]];
            }
        }
        var arrowType = ArrowSchemas.ToArrowPrimitive(type);
        var bitmap = nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity);
        ArrowBuffer[] buffers;
        switch (type.Id.Storage())
        {
            case StorageKind.Boolean:
                {
                    var bits = new byte[(length + 7) >> 3];
                    var source = leaf.Bool!;
                    for (var i = 0; i < length; i++)
                    {
                        if (valueIndex[i] >= 0 && source[valueIndex[i]]) bits[i >> 3] |= (byte)(1 << (i & 7));
                    }
                    buffers = new[] { bitmap, new ArrowBuffer(bits) };
                    break;
                }
            case StorageKind.Int32:
                buffers = new[] { bitmap, Gather(leaf.I32!, valueIndex, nulls) };
                break;
            case StorageKind.Int64:
                buffers = new[] { bitmap, Gather(leaf.I64!, valueIndex, nulls) };
                break;
            case StorageKind.Float32:
                buffers = new[] { bitmap, Gather(leaf.F32!, valueIndex, nulls) };
                break;
            case StorageKind.Float64:
                buffers = new[] { bitmap, Gather(leaf.F64!, valueIndex, nulls) };
                break;
            case StorageKind.Decimal:
                buffers = new[] { bitmap, Gather(leaf.Dec!, valueIndex, nulls) };
                break;
            case StorageKind.String:
            case StorageKind.Binary:
                {
                    var source = leaf.Bytes!;
                    var offsets = new int[length + 1];
                    long total = 0;
                    for (var i = 0; i < length; i++)
                    {
                        if (valueIndex[i] >= 0) total += source[valueIndex[i]].Length;
                    }
                    var data = new byte[checked((int)total)];
                    var pos = 0;
                    for (var i = 0; i < length; i++)
                    {
                        if (valueIndex[i] >= 0)
                        {
                            var span = source[valueIndex[i]].Span;
                            span.CopyTo(data.AsSpan(pos));
                            pos += span.Length;
                        }
                        offsets[i + 1] = pos;
                    }
                    buffers = new[] { bitmap, new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(data) };
                    break;
                }
            default:
                {
                    var width = type.Id == TypeId.Uuid ? 16 : type.Length;
                    var source = leaf.Bytes!;
                    var data = new byte[length * width];
                    for (var i = 0; i < length; i++)
                    {
                        if (valueIndex[i] < 0) continue;
                        var span = source[valueIndex[i]].Span;
                        if (span.Length != width)
                        {
                            throw Errors.InvalidData($"column '{leaf.Node.Name}': {span.Length}-byte value for Iceberg {type}");
                        }
                        span.CopyTo(data.AsSpan(i * width));
                    }
                    buffers = new[] { bitmap, new ArrowBuffer(data) };
                    break;
                }
        }
        return ArrowArrayFactory.BuildArray(new ArrayData(arrowType, length, nulls, 0, buffers));
    }

    private static ArrowBuffer Gather<T>(T[] source, int[] valueIndex, int nulls)
        where T : unmanaged
    {
        var result = new T[valueIndex.Length];
        if (nulls == 0 && source.Length >= valueIndex.Length)
        {
            System.Array.Copy(source, result, valueIndex.Length);
        }
        else
        {
            for (var i = 0; i < valueIndex.Length; i++)
            {
                if (valueIndex[i] >= 0) result[i] = source[valueIndex[i]];
            }
        }
        return new ArrowBuffer(MemoryMarshal.AsBytes(result.AsSpan()).ToArray());
    }

    /// <summary>An array repeating one CLR value (engine representation) <paramref name="length"/> times; null gives an all-null array.</summary>
    public static IArrowArray Constant(IcebergType type, object? value, int length)
    {
        if (value is null || type is not PrimitiveType p) return Nulls(type, length);
        var arrowType = ArrowSchemas.ToArrowPrimitive(p);
        ArrowBuffer[] buffers;
        switch (p.Id.Storage())
        {
            case StorageKind.Boolean:
                {
                    var bits = new byte[(length + 7) >> 3];
                    if ((bool)value) System.Array.Fill(bits, (byte)0xFF);
                    buffers = new[] { ArrowBuffer.Empty, new ArrowBuffer(bits) };
                    break;
                }
            case StorageKind.Int32:
                buffers = new[] { ArrowBuffer.Empty, Repeat(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), length) };
                break;
            case StorageKind.Int64:
                buffers = new[] { ArrowBuffer.Empty, Repeat(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), length) };
                break;
            case StorageKind.Float32:
                buffers = new[] { ArrowBuffer.Empty, Repeat(Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture), length) };
                break;
            case StorageKind.Float64:
                buffers = new[] { ArrowBuffer.Empty, Repeat(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), length) };
                break;
            case StorageKind.Decimal:
                buffers = new[] { ArrowBuffer.Empty, Repeat(LeafColumn.Unscaled((decimal)value, p.Scale), length) };
                break;
            case StorageKind.String:
            case StorageKind.Binary:
                {
                    var bytes = value as byte[] ?? Encoding.UTF8.GetBytes((string)value);
                    var offsets = new int[length + 1];
                    var data = new byte[checked(bytes.Length * length)];
                    for (var i = 0; i < length; i++)
                    {
                        bytes.CopyTo(data, i * bytes.Length);
                        offsets[i + 1] = (i + 1) * bytes.Length;
                    }
                    buffers = new[] { ArrowBuffer.Empty, new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(data) };
                    break;
                }
            default:
                {
                    var bytes = value is Guid g ? g.ToByteArray(bigEndian: true) : (byte[])value;
                    var data = new byte[bytes.Length * length];
                    for (var i = 0; i < length; i++) bytes.CopyTo(data, i * bytes.Length);
                    buffers = new[] { ArrowBuffer.Empty, new ArrowBuffer(data) };
                    break;
                }
        }
        return ArrowArrayFactory.BuildArray(new ArrayData(arrowType, length, 0, 0, buffers));
    }

    private static ArrowBuffer Repeat<T>(T value, int length)
        where T : unmanaged
    {
        var values = new T[length];
        System.Array.Fill(values, value);
        return new ArrowBuffer(MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    /// <summary>An all-null array of any Iceberg type.</summary>
    public static IArrowArray Nulls(IcebergType type, int length) => ArrowArrayFactory.BuildArray(NullData(type, length));

    private static ArrayData NullData(IcebergType type, int length)
    {
        var arrowType = ArrowSchemas.ToArrowType(type);
        var bitmap = new ArrowBuffer(new byte[(length + 7) >> 3]);
        switch (type)
        {
            case IcebergStructType s:
                return new ArrayData(arrowType, length, length, 0, new[] { bitmap }, s.Fields.Select(f => NullData(f.Type, length)).ToArray());
            case IcebergListType l:
                return new ArrayData(arrowType, length, length, 0, new[] { bitmap, new ArrowBuffer(new byte[(length + 1) * 4]) },
                    new[] { NullData(l.ElementType, 0) });
            case IcebergMapType m:
                {
                    var entries = (Apache.Arrow.Types.MapType)arrowType;
                    var kv = new ArrayData(entries.KeyValueType, 0, 0, 0, new[] { ArrowBuffer.Empty }, new[] { NullData(m.KeyType, 0), NullData(m.ValueType, 0) });
                    return new ArrayData(arrowType, length, length, 0, new[] { bitmap, new ArrowBuffer(new byte[(length + 1) * 4]) }, new[] { kv });
                }
            case PrimitiveType p:
                return p.Id switch
                {
                    TypeId.Boolean => new ArrayData(arrowType, length, length, 0, new[] { bitmap, new ArrowBuffer(new byte[(length + 7) >> 3]) }),
                    TypeId.String or TypeId.Binary => new ArrayData(arrowType, length, length, 0,
                        new[] { bitmap, new ArrowBuffer(new byte[(length + 1) * 4]), ArrowBuffer.Empty }),
                    _ => new ArrayData(arrowType, length, length, 0, new[] { bitmap, new ArrowBuffer(new byte[length * Width(p)]) }),
                };
            default:
                throw Errors.Unsupported($"type {type} has no Arrow null array");
        }
    }

    private static int Width(PrimitiveType p) => p.Id switch
    {
        TypeId.Int or TypeId.Date or TypeId.Float => 4,
        TypeId.Decimal => 16,
        TypeId.Uuid => 16,
        TypeId.Fixed => p.Length,
        _ => 8,
    };

}
