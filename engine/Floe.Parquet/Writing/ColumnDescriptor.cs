using Floe.Core.Errors;
using Floe.Core.Types;

namespace Floe.Parquet.Writing;

/// <summary>
/// The Parquet shape of one leaf column: physical type, width and logical annotations, plus, for a leaf inside a
/// struct, list or map, its path and maximum definition and repetition levels.
/// </summary>
internal sealed class ColumnDescriptor
{
    private ColumnDescriptor(NestedField field, PrimitiveType type, ColumnKind kind, ParquetPhysicalType physical, int width)
    {
        Field = field;
        Type = type;
        Kind = kind;
        Physical = physical;
        Width = width;
    }

    public NestedField Field { get; }

    public PrimitiveType Type { get; }

    public ColumnKind Kind { get; }

    public ParquetPhysicalType Physical { get; }

    /// <summary>Bytes per PLAIN value for fixed-width kinds (FLBA length for fixed/decimal), 0 for byte arrays.</summary>
    public int Width { get; }

    /// <summary>Whether the leaf itself is optional in the Parquet schema.</summary>
    public bool Optional => !Field.Required;

    /// <summary>Whether the leaf sits inside a struct, list or map (its levels come from <see cref="LevelShredder"/>).</summary>
    public bool Nested { get; private init; }

    /// <summary>Names from the top-level field down to the leaf (path_in_schema).</summary>
    public string[] Path { get; private init; } = System.Array.Empty<string>();

    /// <summary>Maximum definition level (a present, non-null value).</summary>
    public int MaxDefinition { get; private init; }

    /// <summary>Maximum repetition level (0 outside lists and maps).</summary>
    public int MaxRepetition { get; private init; }

    /// <summary>Whether pages carry definition levels, so the validity bitmap decides which slots hold values.</summary>
    public bool HasDefinitionLevels => Nested ? MaxDefinition > 0 : Optional;

    /// <summary>The descriptor of a leaf inside a nested field.</summary>
    public static ColumnDescriptor ForNested(NestedField leaf, string[] path, int maxDefinition, int maxRepetition)
    {
        var flat = For(leaf);
        return new(leaf, flat.Type, flat.Kind, flat.Physical, flat.Width)
        {
            Nested = true,
            Path = path,
            MaxDefinition = maxDefinition,
            MaxRepetition = maxRepetition,
        };
    }

    public static ColumnDescriptor For(NestedField field)
    {
        if (field.Type is not PrimitiveType type)
        {
            throw Errors.Unsupported($"column '{field.Name}' (id {field.Id}): nested type {field.Type} is written through LevelShredder, not as one column");
        }
        return type.Id switch
        {
            Floe.Core.Types.TypeId.Boolean => new(field, type, ColumnKind.Boolean, ParquetPhysicalType.Boolean, 1),
            Floe.Core.Types.TypeId.Int or Floe.Core.Types.TypeId.Date => new(field, type, ColumnKind.Int32, ParquetPhysicalType.Int32, 4),
            Floe.Core.Types.TypeId.Long or Floe.Core.Types.TypeId.Time or Floe.Core.Types.TypeId.Timestamp or Floe.Core.Types.TypeId.TimestampTz
                or Floe.Core.Types.TypeId.TimestampNs or Floe.Core.Types.TypeId.TimestampTzNs => new(field, type, ColumnKind.Int64, ParquetPhysicalType.Int64, 8),
            Floe.Core.Types.TypeId.Float => new(field, type, ColumnKind.Float, ParquetPhysicalType.Float, 4),
            Floe.Core.Types.TypeId.Double => new(field, type, ColumnKind.Double, ParquetPhysicalType.Double, 8),
            Floe.Core.Types.TypeId.Decimal when type.Precision <= 9 => new(field, type, ColumnKind.DecimalInt32, ParquetPhysicalType.Int32, 4),
            Floe.Core.Types.TypeId.Decimal when type.Precision <= 18 => new(field, type, ColumnKind.DecimalInt64, ParquetPhysicalType.Int64, 8),
            Floe.Core.Types.TypeId.Decimal => new(field, type, ColumnKind.DecimalFixed, ParquetPhysicalType.FixedLenByteArray, DecimalBytes(type.Precision)),
            Floe.Core.Types.TypeId.String or Floe.Core.Types.TypeId.Binary => new(field, type, ColumnKind.ByteArray, ParquetPhysicalType.ByteArray, 0),
            Floe.Core.Types.TypeId.Uuid => new(field, type, ColumnKind.Fixed, ParquetPhysicalType.FixedLenByteArray, 16),
            Floe.Core.Types.TypeId.Fixed => new(field, type, ColumnKind.Fixed, ParquetPhysicalType.FixedLenByteArray, type.Length),
            _ => throw Errors.Unsupported($"column '{field.Name}': type {type} cannot be written to Parquet"),
        };
    }

    /// <summary>The fewest bytes whose two's complement holds every unscaled value of the given precision.</summary>
    public static int DecimalBytes(int precision)
    {
        var max = System.Numerics.BigInteger.Pow(10, precision) - 1;
        for (var n = 1; n <= 16; n++)
        {
            if (System.Numerics.BigInteger.Pow(2, 8 * n - 1) - 1 >= max) return n;
        }
        return 16;
    }
}
