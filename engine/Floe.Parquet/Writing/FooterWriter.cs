using Floe.Parquet.Thrift;
using Floe.Core.Types;

namespace Floe.Parquet.Writing;

/// <summary>
/// Encodes the Parquet <c>FileMetaData</c>: the schema with Iceberg field ids on every node and logical types,
/// row groups with statistics, <c>column_orders</c> (so readers trust min_value/max_value) and key/value metadata.
/// </summary>
internal static class FooterWriter
{
    public static void Write(
        ThriftCompactWriter w,
        IReadOnlyList<SchemaNode> fields,
        IReadOnlyList<ColumnDescriptor> columns,
        IReadOnlyList<RowGroupInfo> rowGroups,
        PageIndexLocation[][] pageIndex,
        long numRows,
        IReadOnlyList<KeyValuePair<string, string>> keyValues,
        string createdBy,
        int codec)
    {
        w.BeginStruct();
        w.FieldI32(1, 1);
        w.FieldListOfStruct(2, CountElements(fields) + 1);
        w.BeginStruct();
        w.FieldString(4, "table");
        w.FieldI32(5, fields.Count);
        w.EndStruct();
        foreach (var field in fields)
        {
            WriteSchemaTree(w, field);
        }
        w.FieldI64(3, numRows);
        w.FieldListOfStruct(4, rowGroups.Count);
        for (var g = 0; g < rowGroups.Count; g++)
        {
            WriteRowGroup(w, columns, rowGroups[g], pageIndex[g], codec, g);
        }
        w.FieldListOfStruct(5, keyValues.Count);
        foreach (var (key, value) in keyValues)
        {
            w.BeginStruct();
            w.FieldString(1, key);
            w.FieldString(2, value);
            w.EndStruct();
        }
        w.FieldString(6, createdBy);
        w.FieldListOfStruct(7, columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            w.BeginStruct();
            w.FieldEmptyStruct(1); // TYPE_ORDER
            w.EndStruct();
        }
        w.EndStruct();
    }

    private static int CountElements(IReadOnlyList<SchemaNode> nodes)
    {
        var n = nodes.Count;
        foreach (var node in nodes) n += CountElements(node.Children);
        return n;
    }

    /// <summary>Writes a node and its children depth first, the order Parquet's flattened schema list wants.</summary>
    private static void WriteSchemaTree(ThriftCompactWriter w, SchemaNode node)
    {
        if (node.Column is { } column)
        {
            WriteSchemaElement(w, column, node.Repetition, node.Name);
            return;
        }
        w.BeginStruct();
        w.FieldI32(3, node.Repetition);
        w.FieldString(4, node.Name);
        w.FieldI32(5, node.Children.Count);
        if (node.GroupKind == SchemaNode.GroupList) w.FieldI32(6, 3); // LIST
        else if (node.GroupKind == SchemaNode.GroupMap) w.FieldI32(6, 1); // MAP
        if (node.FieldId is { } id) w.FieldI32(9, id);
        if (node.GroupKind != SchemaNode.GroupNone)
        {
            w.FieldStruct(10);
            w.FieldEmptyStruct(node.GroupKind == SchemaNode.GroupList ? (short)3 : (short)2);
            w.EndStruct();
        }
        w.EndStruct();
        foreach (var child in node.Children) WriteSchemaTree(w, child);
    }

    private static void WriteSchemaElement(ThriftCompactWriter w, ColumnDescriptor column, int repetition, string name)
    {
        var type = column.Type;
        w.BeginStruct();
        w.FieldI32(1, (int)column.Physical);
        if (column.Physical == ParquetPhysicalType.FixedLenByteArray)
        {
            w.FieldI32(2, column.Width);
        }
        w.FieldI32(3, repetition);
        w.FieldString(4, name);
        var converted = ConvertedType(type);
        if (converted >= 0)
        {
            w.FieldI32(6, converted);
        }
        if (type.Id == Floe.Core.Types.TypeId.Decimal)
        {
            w.FieldI32(7, type.Scale);
            w.FieldI32(8, type.Precision);
        }
        w.FieldI32(9, column.Field.Id);
        WriteLogicalType(w, type);
        w.EndStruct();
    }

    // Legacy converted types, for readers that predate logical types. Timestamps without UTC adjustment have none.
    private static int ConvertedType(PrimitiveType type) => type.Id switch
    {
        Floe.Core.Types.TypeId.String => 0, // UTF8
        Floe.Core.Types.TypeId.Decimal => 5,
        Floe.Core.Types.TypeId.Date => 6,
        Floe.Core.Types.TypeId.Time => 8, // TIME_MICROS
        Floe.Core.Types.TypeId.TimestampTz => 10, // TIMESTAMP_MICROS
        _ => -1,
    };

    private static void WriteLogicalType(ThriftCompactWriter w, PrimitiveType type)
    {
        switch (type.Id)
        {
            case Floe.Core.Types.TypeId.String:
                w.FieldStruct(10);
                w.FieldEmptyStruct(1);
                w.EndStruct();
                break;
            case Floe.Core.Types.TypeId.Decimal:
                w.FieldStruct(10);
                w.FieldStruct(5);
                w.FieldI32(1, type.Scale);
                w.FieldI32(2, type.Precision);
                w.EndStruct();
                w.EndStruct();
                break;
            case Floe.Core.Types.TypeId.Date:
                w.FieldStruct(10);
                w.FieldEmptyStruct(6);
                w.EndStruct();
                break;
            case Floe.Core.Types.TypeId.Time:
                WriteTimeLike(w, 7, adjusted: false, unit: 2);
                break;
            case Floe.Core.Types.TypeId.Timestamp:
                WriteTimeLike(w, 8, adjusted: false, unit: 2);
                break;
            case Floe.Core.Types.TypeId.TimestampTz:
                WriteTimeLike(w, 8, adjusted: true, unit: 2);
                break;
            case Floe.Core.Types.TypeId.TimestampNs:
                WriteTimeLike(w, 8, adjusted: false, unit: 3);
                break;
            case Floe.Core.Types.TypeId.TimestampTzNs:
                WriteTimeLike(w, 8, adjusted: true, unit: 3);
                break;
            case Floe.Core.Types.TypeId.Uuid:
                w.FieldStruct(10);
                w.FieldEmptyStruct(14);
                w.EndStruct();
                break;
        }
    }

    private static void WriteTimeLike(ThriftCompactWriter w, short member, bool adjusted, short unit)
    {
        w.FieldStruct(10);
        w.FieldStruct(member);
        w.FieldBool(1, adjusted);
        w.FieldStruct(2);
        w.FieldEmptyStruct(unit); // TimeUnit: 1 MILLIS, 2 MICROS, 3 NANOS
        w.EndStruct();
        w.EndStruct();
        w.EndStruct();
    }

    private static void WriteRowGroup(ThriftCompactWriter w, IReadOnlyList<ColumnDescriptor> columns, RowGroupInfo group, PageIndexLocation[] pageIndex, int codec, int ordinal)
    {
        w.BeginStruct();
        w.FieldListOfStruct(1, columns.Count);
        Span<int> plainEncodings = stackalloc int[] { 0, 3 }; // PLAIN values, RLE levels
        Span<int> dictionaryEncodings = stackalloc int[] { 0, 3, 8 }; // PLAIN dictionary, RLE levels, RLE_DICTIONARY values
        Span<int> valueEncodings = stackalloc int[] { 0, 3 }; // DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT values, RLE levels
        Span<int> fallbackEncodings = stackalloc int[] { 0, 3, 8, 0 }; // a dictionary dropped mid-chunk, later pages in another encoding
        Span<int> mixedEncodings = stackalloc int[] { 0, 3, 0 }; // BYTE_STREAM_SPLIT and PLAIN pages, RLE levels
        for (var c = 0; c < columns.Count; c++)
        {
            var chunk = group.Chunks[c];
            var offset = group.ChunkOffsets[c];
            w.BeginStruct();
            w.FieldI64(2, offset);
            w.FieldStruct(3);
            w.FieldI32(1, (int)columns[c].Physical);
            valueEncodings[0] = chunk.ValueEncoding;
            fallbackEncodings[3] = chunk.ValueEncoding;
            mixedEncodings[0] = chunk.ValueEncoding;
            w.FieldListOfI32(2, chunk.DictionaryPageLength >= 0
                ? chunk.HasFallbackPages && chunk.ValueEncoding != 0 ? fallbackEncodings : dictionaryEncodings
                : chunk.ValueEncoding == 0 ? plainEncodings : chunk.HasPlainPagesToo ? mixedEncodings : valueEncodings);
            w.FieldListOfString(3, columns[c].Nested ? columns[c].Path : new[] { columns[c].Field.Name });
            w.FieldI32(4, codec);
            w.FieldI64(5, chunk.NumValues);
            w.FieldI64(6, chunk.UncompressedSize);
            w.FieldI64(7, chunk.CompressedSize);
            w.FieldI64(9, offset + Math.Max(0, chunk.DictionaryPageLength));
            if (chunk.DictionaryPageLength >= 0)
            {
                w.FieldI64(11, offset);
            }
            w.FieldStruct(12);
            w.FieldI64(3, chunk.NullCount);
            if (chunk.HasStatistics)
            {
                w.FieldBinary(5, chunk.Max);
                w.FieldBinary(6, chunk.Min);
            }
            w.EndStruct();
            w.EndStruct();
            var index = pageIndex[c];
            if (index.OffsetIndexOffset >= 0)
            {
                w.FieldI64(4, index.OffsetIndexOffset);
                w.FieldI32(5, index.OffsetIndexLength);
            }
            if (index.ColumnIndexOffset >= 0)
            {
                w.FieldI64(6, index.ColumnIndexOffset);
                w.FieldI32(7, index.ColumnIndexLength);
            }
            w.EndStruct();
        }
        w.FieldI64(2, group.TotalByteSize);
        w.FieldI64(3, group.NumRows);
        w.FieldI64(5, group.FileOffset);
        w.FieldI64(6, group.TotalCompressedSize);
        w.FieldI16(7, (short)ordinal);
        w.EndStruct();
    }
}
