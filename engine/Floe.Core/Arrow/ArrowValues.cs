using Apache.Arrow;
using Apache.Arrow.Arrays;
using Floe.Core.Errors;
using Floe.Core.Types;

namespace Floe.Core.Arrow;

/// <summary>Reads single values out of Arrow arrays in the engine's CLR representation of an Iceberg type.</summary>
public static class ArrowValues
{
    /// <summary>The value at <paramref name="row"/>, or null.</summary>
    public static object? Get(IArrowArray array, int row, PrimitiveType type)
    {
        if (array.IsNull(row)) return null;
        return (array, type.Id) switch
        {
            (BooleanArray a, _) => a.GetValue(row)!.Value,
            (Int32Array a, _) => a.GetValue(row)!.Value,
            (Date32Array a, _) => a.Values[row],
            (Int64Array a, _) => a.GetValue(row)!.Value,
            (TimestampArray a, _) => a.Values[row],
            (Time64Array a, _) => a.Values[row],
            (FloatArray a, _) => a.GetValue(row)!.Value,
            (DoubleArray a, _) => a.GetValue(row)!.Value,
            (Decimal128Array a, _) => a.GetValue(row)!.Value,
            (StringArray a, _) => a.GetString(row),
            (FixedSizeBinaryArray a, TypeId.Uuid) => new Guid(a.GetBytes(row), bigEndian: true),
            (FixedSizeBinaryArray a, _) => a.GetBytes(row).ToArray(),
            (BinaryArray a, _) => a.GetBytes(row).ToArray(),
            _ => throw Floe.Core.Errors.Errors.Unsupported($"reading {type} values from Arrow {array.Data.DataType.Name} arrays"),
        };
    }
}
