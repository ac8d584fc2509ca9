using Floe.Core.Errors;
using Floe.Core.Types;
using Parquet.Meta;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet.Reading;

/// <summary>
/// Derives an Iceberg schema from a Parquet file schema (ids from the file; files without ids get ids assigned in
/// depth-first order). Used to read files whose table schema is unknown, e.g. when importing files.
/// </summary>
internal static class SchemaInference
{
    public static Schema ToIceberg(FileSchemaNode root)
    {
        var next = 1;
        var fields = new List<NestedField>(root.Children.Count);
        foreach (var child in root.Children)
        {
            fields.Add(Field(child, ref next));
        }
        return new Schema(0, fields);
    }

    private static NestedField Field(FileSchemaNode node, ref int next)
    {
        var id = node.FieldId ?? next++;
        return new NestedField(id, node.Name, !node.IsOptional && !node.IsRepeated, Type(node, ref next));
    }

    private static IcebergType Type(FileSchemaNode node, ref int next)
    {
        if (node.IsLeaf) return Primitive(node);
        var e = node.Element;
        var isList = e.LogicalType?.LIST is not null || e.ConvertedType == ConvertedType.LIST;
        var isMap = e.LogicalType?.MAP is not null || e.ConvertedType is ConvertedType.MAP or ConvertedType.MAP_KEY_VALUE;
        if (isList && node.Children.Count == 1 && node.Children[0].IsRepeated)
        {
            var repeated = node.Children[0];
            var element = repeated.IsLeaf || repeated.Children.Count > 1 ? repeated : repeated.Children[0];
            var elementId = element == repeated ? next++ : element.FieldId ?? next++;
            return new Floe.Core.Types.ListType(elementId, element != repeated && !element.IsOptional, Type(element, ref next));
        }
        if (isMap && node.Children.Count == 1 && node.Children[0].Children.Count == 2)
        {
            var key = node.Children[0].Children[0];
            var value = node.Children[0].Children[1];
            var keyId = key.FieldId ?? next++;
            var keyType = Type(key, ref next);
            var valueId = value.FieldId ?? next++;
            return new Floe.Core.Types.MapType(keyId, keyType, valueId, !value.IsOptional, Type(value, ref next));
        }
        var fields = new List<NestedField>(node.Children.Count);
        foreach (var child in node.Children)
        {
            fields.Add(Field(child, ref next));
        }
        return new Floe.Core.Types.StructType(fields);
    }

    private static PrimitiveType Primitive(FileSchemaNode node)
    {
        var e = node.Element;
        var logical = e.LogicalType;
        if (logical?.DECIMAL is { } d) return PrimitiveType.Decimal(d.Precision, d.Scale);
        if (e.ConvertedType == ConvertedType.DECIMAL) return PrimitiveType.Decimal(e.Precision ?? 38, e.Scale ?? 0);
        switch (e.Type)
        {
            case ParquetType.BOOLEAN:
                return PrimitiveType.Boolean;
            case ParquetType.INT32:
                if (logical?.DATE is not null || e.ConvertedType == ConvertedType.DATE) return PrimitiveType.Date;
                if (logical?.TIME is not null || e.ConvertedType == ConvertedType.TIME_MILLIS) return PrimitiveType.Time;
                return PrimitiveType.Int;
            case ParquetType.INT64:
                if (logical?.TIMESTAMP is { } ts)
                {
                    var nanos = ts.Unit?.NANOS is not null;
                    return ts.IsAdjustedToUTC
                        ? (nanos ? PrimitiveType.TimestampTzNs : PrimitiveType.TimestampTz)
                        : (nanos ? PrimitiveType.TimestampNs : PrimitiveType.Timestamp);
                }
                if (e.ConvertedType is ConvertedType.TIMESTAMP_MICROS or ConvertedType.TIMESTAMP_MILLIS) return PrimitiveType.TimestampTz;
                if (logical?.TIME is not null || e.ConvertedType == ConvertedType.TIME_MICROS) return PrimitiveType.Time;
                return PrimitiveType.Long;
            case ParquetType.INT96:
                return PrimitiveType.TimestampTz;
            case ParquetType.FLOAT:
                return PrimitiveType.Float;
            case ParquetType.DOUBLE:
                return PrimitiveType.Double;
            case ParquetType.BYTE_ARRAY:
                return logical?.STRING is not null || e.ConvertedType == ConvertedType.UTF8 || logical?.ENUM is not null || logical?.JSON is not null
                    ? PrimitiveType.String
                    : PrimitiveType.Binary;
            case ParquetType.FIXED_LEN_BYTE_ARRAY:
                if (logical?.UUID is not null) return PrimitiveType.Uuid;
                return PrimitiveType.Fixed(e.TypeLength ?? throw Errors.InvalidData($"column '{node.Name}': FIXED_LEN_BYTE_ARRAY without a length"));
            default:
                throw Errors.Unsupported($"column '{node.Name}': Parquet type {e.Type}");
        }
    }
}
