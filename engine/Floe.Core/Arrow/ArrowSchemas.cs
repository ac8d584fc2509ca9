using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Types;
using ArrowListType = Apache.Arrow.Types.ListType;
using ArrowMapType = Apache.Arrow.Types.MapType;
using ArrowSchema = Apache.Arrow.Schema;
using ArrowStructType = Apache.Arrow.Types.StructType;
using IcebergListType = Floe.Core.Types.ListType;
using IcebergMapType = Floe.Core.Types.MapType;
using IcebergSchema = Floe.Core.Types.Schema;
using IcebergStructType = Floe.Core.Types.StructType;

namespace Floe.Core.Arrow;

/// <summary>
/// Maps Iceberg schemas to Apache Arrow schemas and back. Every Arrow field carries its Iceberg field id as the
/// field metadata entry <see cref="FieldIdKey"/> (<c>PARQUET:field_id</c>, as pyarrow writes it), so ids survive the
/// Arrow C Data interface. Types: boolean→Boolean, int→Int32, long→Int64, float→Float, double→Double,
/// decimal(p,s)→Decimal128(p,s), date→Date32, time→Time64(µs), timestamp→Timestamp(µs), timestamptz→Timestamp(µs,"UTC"),
/// timestamp_ns→Timestamp(ns), timestamptz_ns→Timestamp(ns,"UTC"), string→Utf8, uuid→FixedSizeBinary(16),
/// fixed[L]→FixedSizeBinary(L), binary→Binary, struct/list/map→Struct/List/Map.
/// </summary>
public static class ArrowSchemas
{
    /// <summary>The Arrow field metadata key holding the Iceberg field id.</summary>
    public const string FieldIdKey = Floe.Core.Arrow.ArrowFieldIds.Key;

    private const string ExtensionNameKey = "ARROW:extension:name";
    private const string UuidExtensionName = "arrow.uuid";

    /// <summary>Converts an Iceberg schema to an Arrow schema; field ids go into each field's metadata.</summary>
    public static ArrowSchema ToArrow(IcebergSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var fields = new List<Field>(schema.Fields.Count);
        foreach (var field in schema.Fields)
        {
            fields.Add(ToArrowField(field));
        }
        return new ArrowSchema(fields, null);
    }

    /// <summary>Converts one Iceberg field (with its id in the metadata) to an Arrow field.</summary>
    public static Field ToArrowField(NestedField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return MakeField(field.Name, field.Id, !field.Required, field.Type);
    }

    /// <summary>The Arrow type of an Iceberg type (nested fields get id metadata).</summary>
    public static IArrowType ToArrowType(IcebergType type) => type switch
    {
        PrimitiveType p => ToArrowPrimitive(p),
        IcebergStructType s => new ArrowStructType(s.Fields.Select(ToArrowField).ToList()),
        IcebergListType l => new ArrowListType(MakeField("element", l.ElementId, !l.ElementRequired, l.ElementType)),
        IcebergMapType m => new ArrowMapType(
            MakeField("key", m.KeyId, false, m.KeyType),
            MakeField("value", m.ValueId, !m.ValueRequired, m.ValueType),
            false),
        _ => throw Floe.Core.Errors.Errors.Unsupported($"Iceberg type {type} has no Arrow mapping"),
    };

    /// <summary>The Arrow type of an Iceberg primitive type.</summary>
    public static IArrowType ToArrowPrimitive(PrimitiveType type) => type.Id switch
    {
        TypeId.Boolean => BooleanType.Default,
        TypeId.Int => Int32Type.Default,
        TypeId.Long => Int64Type.Default,
        TypeId.Float => FloatType.Default,
        TypeId.Double => DoubleType.Default,
        TypeId.Decimal => new Decimal128Type(type.Precision, type.Scale),
        TypeId.Date => Date32Type.Default,
        TypeId.Time => new Time64Type(TimeUnit.Microsecond),
        TypeId.Timestamp => new TimestampType(TimeUnit.Microsecond, (string?)null),
        TypeId.TimestampTz => new TimestampType(TimeUnit.Microsecond, "UTC"),
        TypeId.TimestampNs => new TimestampType(TimeUnit.Nanosecond, (string?)null),
        TypeId.TimestampTzNs => new TimestampType(TimeUnit.Nanosecond, "UTC"),
        TypeId.String => StringType.Default,
        TypeId.Uuid => new FixedSizeBinaryType(16),
        TypeId.Fixed => new FixedSizeBinaryType(type.Length),
        TypeId.Binary => BinaryType.Default,
        _ => throw Floe.Core.Errors.Errors.Unsupported($"Iceberg type {type} has no Arrow mapping"),
    };

    /// <summary>
    /// Converts an Arrow schema back to an Iceberg schema. Every field (including list elements and map keys/values)
    /// must carry <see cref="FieldIdKey"/> metadata; a FixedSizeBinary(16) field maps to uuid only when its metadata
    /// says <c>ARROW:extension:name</c> = <c>arrow.uuid</c>, otherwise to fixed[16].
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument naming the field when an id is missing or a type has no Iceberg mapping.</exception>
    public static IcebergSchema FromArrow(ArrowSchema schema, int schemaId = 0)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var fields = new List<NestedField>(schema.FieldsList.Count);
        foreach (var field in schema.FieldsList)
        {
            fields.Add(FromArrowField(field, field.Name));
        }
        return new IcebergSchema(schemaId, fields);
    }

    /// <summary>The Iceberg field id in an Arrow field's metadata, or null when absent or not an integer.</summary>
    public static int? GetFieldId(Field field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.HasMetadata && field.Metadata.TryGetValue(FieldIdKey, out var text) &&
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }
        return null;
    }

    private static Field MakeField(string name, int id, bool nullable, IcebergType type)
    {
        var metadata = new List<KeyValuePair<string, string>>(3)
        {
            new(FieldIdKey, id.ToString(CultureInfo.InvariantCulture)),
        };
        if (type is PrimitiveType { Id: TypeId.Uuid })
        {
            // The canonical Arrow uuid extension marker keeps uuid distinct from fixed[16] across the C Data interface.
            metadata.Add(new(ExtensionNameKey, UuidExtensionName));
            metadata.Add(new("ARROW:extension:metadata", ""));
        }
        return new Field(name, ToArrowType(type), nullable, metadata);
    }

    private static NestedField FromArrowField(Field field, string path)
    {
        var id = GetFieldId(field) ?? throw Floe.Core.Errors.Errors.InvalidArgument($"Arrow field '{path}' has no '{FieldIdKey}' metadata");
        return new NestedField(id, field.Name, !field.IsNullable, FromArrowType(field, path));
    }

    private static IcebergType FromArrowType(Field field, string path)
    {
        switch (field.DataType)
        {
            case BooleanType: return PrimitiveType.Boolean;
            case Int32Type: return PrimitiveType.Int;
            case Int64Type: return PrimitiveType.Long;
            case FloatType: return PrimitiveType.Float;
            case DoubleType: return PrimitiveType.Double;
            case Decimal128Type d: return PrimitiveType.Decimal(d.Precision, d.Scale);
            case Date32Type: return PrimitiveType.Date;
            case Time64Type t when t.Unit == TimeUnit.Microsecond: return PrimitiveType.Time;
            case TimestampType ts when ts.Unit == TimeUnit.Microsecond:
                return string.IsNullOrEmpty(ts.Timezone) ? PrimitiveType.Timestamp : PrimitiveType.TimestampTz;
            case TimestampType ts when ts.Unit == TimeUnit.Nanosecond:
                return string.IsNullOrEmpty(ts.Timezone) ? PrimitiveType.TimestampNs : PrimitiveType.TimestampTzNs;
            case StringType: return PrimitiveType.String;
            case BinaryType: return PrimitiveType.Binary;
            case FixedSizeBinaryType f:
                var isUuid = f.ByteWidth == 16 && field.HasMetadata &&
                             field.Metadata.TryGetValue(ExtensionNameKey, out var ext) && ext == UuidExtensionName;
                return isUuid ? PrimitiveType.Uuid : PrimitiveType.Fixed(f.ByteWidth);
            case ArrowStructType s:
                return new IcebergStructType(s.Fields.Select(c => FromArrowField(c, path + "." + c.Name)).ToList());
            case ArrowMapType m:
                {
                    var key = FromArrowField(m.KeyField, path + ".key");
                    var value = FromArrowField(m.ValueField, path + ".value");
                    return new IcebergMapType(key.Id, key.Type, value.Id, value.Required, value.Type);
                }
            case ArrowListType l:
                {
                    var element = FromArrowField(l.ValueField, path + ".element");
                    return new IcebergListType(element.Id, element.Required, element.Type);
                }
            default:
                throw Floe.Core.Errors.Errors.InvalidArgument($"Arrow field '{path}' has type {field.DataType.Name}, which has no Iceberg mapping");
        }
    }
}
