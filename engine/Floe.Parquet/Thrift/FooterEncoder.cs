using Parquet.Meta;

namespace Floe.Parquet.Thrift;

/// <summary>
/// Encodes a <c>FileMetaData</c> that <see cref="FooterReader"/> decoded and checked back into Thrift, in the
/// canonical form Floe's own writer produces. Parquet.Net (which still decodes some page layouts) is only ever given
/// this re-encoding, never a file's own footer bytes: its decoder reads fields by their expected type and loops
/// forever on some mistyped footers, which a canonical encoding of checked values cannot contain.
/// </summary>
internal static class FooterEncoder
{
    /// <summary>The Thrift bytes of <paramref name="m"/>.</summary>
    public static byte[] Encode(FileMetaData m)
    {
        var w = new ThriftCompactWriter(4096);
        w.BeginStruct();
        w.FieldI32(1, m.Version);
        w.FieldListOfStruct(2, m.Schema.Count);
        foreach (var e in m.Schema) WriteSchemaElement(w, e);
        w.FieldI64(3, m.NumRows);
        w.FieldListOfStruct(4, m.RowGroups.Count);
        foreach (var g in m.RowGroups) WriteRowGroup(w, g);
        if (m.KeyValueMetadata is { } kv) WriteKeyValues(w, 5, kv);
        if (m.CreatedBy is { } createdBy) w.FieldString(6, createdBy);
        if (m.ColumnOrders is { } orders)
        {
            w.FieldListOfStruct(7, orders.Count);
            foreach (var o in orders)
            {
                w.BeginStruct();
                if (o.TYPEORDER is not null) w.FieldEmptyStruct(1);
                w.EndStruct();
            }
        }
        w.EndStruct();
        return w.WrittenSpan.ToArray();
    }

    private static void WriteSchemaElement(ThriftCompactWriter w, SchemaElement e)
    {
        w.BeginStruct();
        if (e.Type is { } type) w.FieldI32(1, (int)type);
        if (e.TypeLength is { } length) w.FieldI32(2, length);
        if (e.RepetitionType is { } repetition) w.FieldI32(3, (int)repetition);
        w.FieldString(4, e.Name);
        if (e.NumChildren is { } children) w.FieldI32(5, children);
        if (e.ConvertedType is { } converted) w.FieldI32(6, (int)converted);
        if (e.Scale is { } scale) w.FieldI32(7, scale);
        if (e.Precision is { } precision) w.FieldI32(8, precision);
        if (e.FieldId is { } id) w.FieldI32(9, id);
        if (e.LogicalType is { } logical) WriteLogicalType(w, logical);
        w.EndStruct();
    }

    private static void WriteLogicalType(ThriftCompactWriter w, LogicalType t)
    {
        w.FieldStruct(10);
        if (t.STRING is not null) w.FieldEmptyStruct(1);
        if (t.MAP is not null) w.FieldEmptyStruct(2);
        if (t.LIST is not null) w.FieldEmptyStruct(3);
        if (t.ENUM is not null) w.FieldEmptyStruct(4);
        if (t.DECIMAL is { } d)
        {
            w.FieldStruct(5);
            w.FieldI32(1, d.Scale);
            w.FieldI32(2, d.Precision);
            w.EndStruct();
        }
        if (t.DATE is not null) w.FieldEmptyStruct(6);
        if (t.TIME is { } time) WriteTimeLike(w, 7, time.IsAdjustedToUTC, time.Unit);
        if (t.TIMESTAMP is { } ts) WriteTimeLike(w, 8, ts.IsAdjustedToUTC, ts.Unit);
        if (t.INTEGER is { } i)
        {
            w.FieldStruct(10);
            w.FieldI8(1, i.BitWidth);
            w.FieldBool(2, i.IsSigned);
            w.EndStruct();
        }
        if (t.UNKNOWN is not null) w.FieldEmptyStruct(11);
        if (t.JSON is not null) w.FieldEmptyStruct(12);
        if (t.BSON is not null) w.FieldEmptyStruct(13);
        if (t.UUID is not null) w.FieldEmptyStruct(14);
        if (t.FLOAT16 is not null) w.FieldEmptyStruct(15);
        w.EndStruct();
    }

    private static void WriteTimeLike(ThriftCompactWriter w, short member, bool adjusted, TimeUnit unit)
    {
        w.FieldStruct(member);
        w.FieldBool(1, adjusted);
        w.FieldStruct(2);
        w.FieldEmptyStruct(unit.MILLIS is not null ? (short)1 : unit.MICROS is not null ? (short)2 : (short)3);
        w.EndStruct();
        w.EndStruct();
    }

    private static void WriteRowGroup(ThriftCompactWriter w, RowGroup g)
    {
        w.BeginStruct();
        w.FieldListOfStruct(1, g.Columns.Count);
        foreach (var c in g.Columns) WriteColumnChunk(w, c);
        w.FieldI64(2, g.TotalByteSize);
        w.FieldI64(3, g.NumRows);
        if (g.SortingColumns is { } sorting)
        {
            w.FieldListOfStruct(4, sorting.Count);
            foreach (var s in sorting)
            {
                w.BeginStruct();
                w.FieldI32(1, s.ColumnIdx);
                w.FieldBool(2, s.Descending);
                w.FieldBool(3, s.NullsFirst);
                w.EndStruct();
            }
        }
        if (g.FileOffset is { } offset) w.FieldI64(5, offset);
        if (g.TotalCompressedSize is { } compressed) w.FieldI64(6, compressed);
        if (g.Ordinal is { } ordinal) w.FieldI16(7, ordinal);
        w.EndStruct();
    }

    private static void WriteColumnChunk(ThriftCompactWriter w, ColumnChunk c)
    {
        w.BeginStruct();
        if (c.FilePath is { } path) w.FieldString(1, path);
        w.FieldI64(2, c.FileOffset);
        if (c.MetaData is { } m)
        {
            w.FieldStruct(3);
            w.FieldI32(1, (int)m.Type);
            var encodings = new int[m.Encodings?.Count ?? 0];
            for (var i = 0; i < encodings.Length; i++) encodings[i] = (int)m.Encodings![i];
            w.FieldListOfI32(2, encodings);
            w.FieldListOfString(3, m.PathInSchema);
            w.FieldI32(4, (int)m.Codec);
            w.FieldI64(5, m.NumValues);
            w.FieldI64(6, m.TotalUncompressedSize);
            w.FieldI64(7, m.TotalCompressedSize);
            if (m.KeyValueMetadata is { } kv) WriteKeyValues(w, 8, kv);
            w.FieldI64(9, m.DataPageOffset);
            if (m.IndexPageOffset is { } index) w.FieldI64(10, index);
            if (m.DictionaryPageOffset is { } dictionary) w.FieldI64(11, dictionary);
            if (m.Statistics is { } s) WriteStatistics(w, s);
            if (m.EncodingStats is { } stats)
            {
                w.FieldListOfStruct(13, stats.Count);
                foreach (var e in stats)
                {
                    w.BeginStruct();
                    w.FieldI32(1, (int)e.PageType);
                    w.FieldI32(2, (int)e.Encoding);
                    w.FieldI32(3, e.Count);
                    w.EndStruct();
                }
            }
            w.EndStruct();
        }
        if (c.OffsetIndexOffset is { } oio) w.FieldI64(4, oio);
        if (c.OffsetIndexLength is { } oil) w.FieldI32(5, oil);
        if (c.ColumnIndexOffset is { } cio) w.FieldI64(6, cio);
        if (c.ColumnIndexLength is { } cil) w.FieldI32(7, cil);
        w.EndStruct();
    }

    private static void WriteStatistics(ThriftCompactWriter w, Statistics s)
    {
        w.FieldStruct(12);
        if (s.Max is { } max) w.FieldBinary(1, max);
        if (s.Min is { } min) w.FieldBinary(2, min);
        if (s.NullCount is { } nulls) w.FieldI64(3, nulls);
        if (s.DistinctCount is { } distinct) w.FieldI64(4, distinct);
        if (s.MaxValue is { } maxValue) w.FieldBinary(5, maxValue);
        if (s.MinValue is { } minValue) w.FieldBinary(6, minValue);
        if (s.IsMaxValueExact is { } maxExact) w.FieldBool(7, maxExact);
        if (s.IsMinValueExact is { } minExact) w.FieldBool(8, minExact);
        w.EndStruct();
    }

    private static void WriteKeyValues(ThriftCompactWriter w, short id, List<KeyValue> pairs)
    {
        w.FieldListOfStruct(id, pairs.Count);
        foreach (var kv in pairs)
        {
            w.BeginStruct();
            w.FieldString(1, kv.Key);
            if (kv.Value is { } value) w.FieldString(2, value);
            w.EndStruct();
        }
    }
}
