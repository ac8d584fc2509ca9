using UTF8Encoding = System.Text.UTF8Encoding;
using DecoderFallbackException = System.Text.DecoderFallbackException;
using Parquet.Meta;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet.Thrift;

/// <summary>
/// Decodes a Parquet footer (<c>FileMetaData</c>) with Floe's bounded Thrift reader. Every known field must carry
/// the wire type parquet.thrift gives it (a decoder that reads a mistyped field by its expected type misaligns and
/// can run off its buffer), every length and count is checked against the bytes left before it sizes anything,
/// unknown fields are skipped under the same nesting limit, and required fields must be present. Throws
/// <see cref="InvalidDataException"/> naming the structure and field; it never loops or recurses without bound.
/// </summary>
internal static class FooterReader
{
    /// <summary>How deeply Thrift structures may nest in a footer (the Parquet structures themselves need 6).</summary>
    public const int MaxDepth = ThriftCompactReader.MaxSkipDepth;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes the <c>FileMetaData</c> at the start of <paramref name="footer"/>.</summary>
    public static FileMetaData Read(ReadOnlySpan<byte> footer)
    {
        var r = new ThriftCompactReader(footer);
        return ReadFileMetaData(ref r);
    }

    private static FileMetaData ReadFileMetaData(ref ThriftCompactReader r)
    {
        const string name = "FileMetaData";
        var m = new FileMetaData();
        bool schema = false, rows = false, groups = false;
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    m.Version = I32(ref r, type, name, id);
                    break;
                case 2:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeStruct, name, id);
                        m.Schema = new List<SchemaElement>(count);
                        for (var i = 0; i < count; i++) m.Schema.Add(ReadSchemaElement(ref r, 1));
                        schema = true;
                        break;
                    }
                case 3:
                    m.NumRows = I64(ref r, type, name, id);
                    rows = true;
                    break;
                case 4:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeStruct, name, id);
                        m.RowGroups = new List<RowGroup>(count);
                        for (var i = 0; i < count; i++) m.RowGroups.Add(ReadRowGroup(ref r, 1));
                        groups = true;
                        break;
                    }
                case 5:
                    m.KeyValueMetadata = ReadKeyValues(ref r, type, name, id, 1);
                    break;
                case 6:
                    m.CreatedBy = String(ref r, type, name, id);
                    break;
                case 7:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeStruct, name, id);
                        m.ColumnOrders = new List<ColumnOrder>(count);
                        for (var i = 0; i < count; i++) m.ColumnOrders.Add(ReadColumnOrder(ref r, 1));
                        break;
                    }
                case 8:
                    throw new NotSupportedException("encrypted Parquet files are not supported");
                default:
                    r.Skip(type, 1);
                    break;
            }
        }
        r.EndStruct(saved);
        Require(schema, name, "schema");
        Require(rows, name, "num_rows");
        Require(groups, name, "row_groups");
        return m;
    }

    private static SchemaElement ReadSchemaElement(ref ThriftCompactReader r, int depth)
    {
        const string name = "SchemaElement";
        var e = new SchemaElement();
        var named = false;
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    e.Type = (ParquetType)Enum(ref r, type, name, id, (int)ParquetType.FIXED_LEN_BYTE_ARRAY);
                    break;
                case 2:
                    e.TypeLength = I32(ref r, type, name, id);
                    break;
                case 3:
                    e.RepetitionType = (FieldRepetitionType)Enum(ref r, type, name, id, (int)FieldRepetitionType.REPEATED);
                    break;
                case 4:
                    e.Name = String(ref r, type, name, id);
                    named = true;
                    break;
                case 5:
                    e.NumChildren = I32(ref r, type, name, id);
                    break;
                case 6:
                    e.ConvertedType = (ConvertedType)Enum(ref r, type, name, id, (int)ConvertedType.INTERVAL);
                    break;
                case 7:
                    e.Scale = I32(ref r, type, name, id);
                    break;
                case 8:
                    e.Precision = I32(ref r, type, name, id);
                    break;
                case 9:
                    e.FieldId = I32(ref r, type, name, id);
                    break;
                case 10:
                    Expect(type, ThriftCompactReader.TypeStruct, name, id);
                    e.LogicalType = ReadLogicalType(ref r, depth + 1);
                    break;
                default:
                    r.Skip(type, depth + 1);
                    break;
            }
        }
        r.EndStruct(saved);
        Require(named, name, "name");
        return e;
    }

    private static LogicalType ReadLogicalType(ref ThriftCompactReader r, int depth)
    {
        const string name = "LogicalType";
        var t = new LogicalType();
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            if (id is >= 1 and <= 18 and not 9) Expect(type, ThriftCompactReader.TypeStruct, name, id);
            switch (id)
            {
                case 1: SkipEmpty(ref r, depth); t.STRING = new StringType(); break;
                case 2: SkipEmpty(ref r, depth); t.MAP = new MapType(); break;
                case 3: SkipEmpty(ref r, depth); t.LIST = new ListType(); break;
                case 4: SkipEmpty(ref r, depth); t.ENUM = new EnumType(); break;
                case 5: t.DECIMAL = ReadDecimal(ref r, depth + 1); break;
                case 6: SkipEmpty(ref r, depth); t.DATE = new DateType(); break;
                case 7:
                    {
                        var (adjusted, unit) = ReadTimeLike(ref r, "TimeType", depth + 1);
                        t.TIME = new TimeType { IsAdjustedToUTC = adjusted, Unit = unit };
                        break;
                    }
                case 8:
                    {
                        var (adjusted, unit) = ReadTimeLike(ref r, "TimestampType", depth + 1);
                        t.TIMESTAMP = new TimestampType { IsAdjustedToUTC = adjusted, Unit = unit };
                        break;
                    }
                case 10: t.INTEGER = ReadIntType(ref r, depth + 1); break;
                case 11: SkipEmpty(ref r, depth); t.UNKNOWN = new NullType(); break;
                case 12: SkipEmpty(ref r, depth); t.JSON = new JsonType(); break;
                case 13: SkipEmpty(ref r, depth); t.BSON = new BsonType(); break;
                case 14: SkipEmpty(ref r, depth); t.UUID = new UUIDType(); break;
                case 15: SkipEmpty(ref r, depth); t.FLOAT16 = new Float16Type(); break;
                default:
                    // VARIANT, GEOMETRY, GEOGRAPHY and later members: Floe reads none of them, so the type stays unknown.
                    r.Skip(type, depth + 1);
                    break;
            }
        }
        r.EndStruct(saved);
        return t;
    }

    private static DecimalType ReadDecimal(ref ThriftCompactReader r, int depth)
    {
        const string name = "DecimalType";
        var d = new DecimalType();
        bool scale = false, precision = false;
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1: d.Scale = I32(ref r, type, name, id); scale = true; break;
                case 2: d.Precision = I32(ref r, type, name, id); precision = true; break;
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        Require(scale, name, "scale");
        Require(precision, name, "precision");
        return d;
    }

    private static (bool Adjusted, TimeUnit Unit) ReadTimeLike(ref ThriftCompactReader r, string name, int depth)
    {
        var adjusted = false;
        TimeUnit? unit = null;
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    adjusted = Bool(type, name, id);
                    break;
                case 2:
                    Expect(type, ThriftCompactReader.TypeStruct, name, id);
                    unit = ReadTimeUnit(ref r, depth + 1);
                    break;
                default:
                    r.Skip(type, depth + 1);
                    break;
            }
        }
        r.EndStruct(saved);
        Require(unit is not null, name, "unit");
        return (adjusted, unit!);
    }

    private static TimeUnit ReadTimeUnit(ref ThriftCompactReader r, int depth)
    {
        const string name = "TimeUnit";
        var u = new TimeUnit();
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            if (id is >= 1 and <= 3) Expect(type, ThriftCompactReader.TypeStruct, name, id);
            switch (id)
            {
                case 1: SkipEmpty(ref r, depth); u.MILLIS = new MilliSeconds(); break;
                case 2: SkipEmpty(ref r, depth); u.MICROS = new MicroSeconds(); break;
                case 3: SkipEmpty(ref r, depth); u.NANOS = new NanoSeconds(); break;
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        if (u.MILLIS is null && u.MICROS is null && u.NANOS is null) throw new InvalidDataException("footer TimeUnit names no unit");
        return u;
    }

    private static IntType ReadIntType(ref ThriftCompactReader r, int depth)
    {
        const string name = "IntType";
        var t = new IntType();
        bool width = false, signed = false;
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    Expect(type, ThriftCompactReader.TypeByte, name, id);
                    t.BitWidth = r.ReadI8();
                    width = true;
                    break;
                case 2:
                    t.IsSigned = Bool(type, name, id);
                    signed = true;
                    break;
                default:
                    r.Skip(type, depth + 1);
                    break;
            }
        }
        r.EndStruct(saved);
        Require(width, name, "bitWidth");
        Require(signed, name, "isSigned");
        return t;
    }

    private static RowGroup ReadRowGroup(ref ThriftCompactReader r, int depth)
    {
        const string name = "RowGroup";
        var g = new RowGroup();
        bool columns = false, rows = false;
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeStruct, name, id);
                        g.Columns = new List<ColumnChunk>(count);
                        for (var i = 0; i < count; i++) g.Columns.Add(ReadColumnChunk(ref r, depth + 1));
                        columns = true;
                        break;
                    }
                case 2: g.TotalByteSize = I64(ref r, type, name, id); break;
                case 3: g.NumRows = I64(ref r, type, name, id); rows = true; break;
                case 4:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeStruct, name, id);
                        g.SortingColumns = new List<SortingColumn>(count);
                        for (var i = 0; i < count; i++) g.SortingColumns.Add(ReadSortingColumn(ref r, depth + 1));
                        break;
                    }
                case 5: g.FileOffset = I64(ref r, type, name, id); break;
                case 6: g.TotalCompressedSize = I64(ref r, type, name, id); break;
                case 7: g.Ordinal = I16(ref r, type, name, id); break;
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        Require(columns, name, "columns");
        Require(rows, name, "num_rows");
        return g;
    }

    private static SortingColumn ReadSortingColumn(ref ThriftCompactReader r, int depth)
    {
        const string name = "SortingColumn";
        var c = new SortingColumn();
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1: c.ColumnIdx = I32(ref r, type, name, id); break;
                case 2: c.Descending = Bool(type, name, id); break;
                case 3: c.NullsFirst = Bool(type, name, id); break;
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        return c;
    }

    private static ColumnChunk ReadColumnChunk(ref ThriftCompactReader r, int depth)
    {
        const string name = "ColumnChunk";
        var c = new ColumnChunk();
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1: c.FilePath = String(ref r, type, name, id); break;
                case 2: c.FileOffset = I64(ref r, type, name, id); break;
                case 3:
                    Expect(type, ThriftCompactReader.TypeStruct, name, id);
                    c.MetaData = ReadColumnMetaData(ref r, depth + 1);
                    break;
                case 4: c.OffsetIndexOffset = I64(ref r, type, name, id); break;
                case 5: c.OffsetIndexLength = I32(ref r, type, name, id); break;
                case 6: c.ColumnIndexOffset = I64(ref r, type, name, id); break;
                case 7: c.ColumnIndexLength = I32(ref r, type, name, id); break;
                case 8:
                case 9:
                    throw new NotSupportedException("encrypted Parquet columns are not supported");
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        return c;
    }

    private static ColumnMetaData ReadColumnMetaData(ref ThriftCompactReader r, int depth)
    {
        const string name = "ColumnMetaData";
        var m = new ColumnMetaData();
        bool physical = false, path = false, codec = false, values = false, compressed = false, dataPage = false;
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    m.Type = (ParquetType)Enum(ref r, type, name, id, (int)ParquetType.FIXED_LEN_BYTE_ARRAY);
                    physical = true;
                    break;
                case 2:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeI32, name, id);
                        m.Encodings = new List<Encoding>(count);
                        for (var i = 0; i < count; i++) m.Encodings.Add((Encoding)r.ReadI32());
                        break;
                    }
                case 3:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeBinary, name, id);
                        m.PathInSchema = new List<string>(count);
                        for (var i = 0; i < count; i++) m.PathInSchema.Add(Utf8(r.ReadBinary(), name, id));
                        path = true;
                        break;
                    }
                case 4:
                    m.Codec = (CompressionCodec)Enum(ref r, type, name, id, (int)CompressionCodec.LZ4_RAW);
                    codec = true;
                    break;
                case 5: m.NumValues = I64(ref r, type, name, id); values = true; break;
                case 6: m.TotalUncompressedSize = I64(ref r, type, name, id); break;
                case 7: m.TotalCompressedSize = I64(ref r, type, name, id); compressed = true; break;
                case 8: m.KeyValueMetadata = ReadKeyValues(ref r, type, name, id, depth + 1); break;
                case 9: m.DataPageOffset = I64(ref r, type, name, id); dataPage = true; break;
                case 10: m.IndexPageOffset = I64(ref r, type, name, id); break;
                case 11: m.DictionaryPageOffset = I64(ref r, type, name, id); break;
                case 12:
                    Expect(type, ThriftCompactReader.TypeStruct, name, id);
                    m.Statistics = ReadStatistics(ref r, depth + 1);
                    break;
                case 13:
                    {
                        var count = ListOf(ref r, type, ThriftCompactReader.TypeStruct, name, id);
                        m.EncodingStats = new List<PageEncodingStats>(count);
                        for (var i = 0; i < count; i++) m.EncodingStats.Add(ReadEncodingStats(ref r, depth + 1));
                        break;
                    }
                case 14: m.BloomFilterOffset = I64(ref r, type, name, id); break;
                case 15: m.BloomFilterLength = I32(ref r, type, name, id); break;
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        Require(physical, name, "type");
        Require(path, name, "path_in_schema");
        Require(codec, name, "codec");
        Require(values, name, "num_values");
        Require(compressed, name, "total_compressed_size");
        Require(dataPage, name, "data_page_offset");
        return m;
    }

    private static Statistics ReadStatistics(ref ThriftCompactReader r, int depth)
    {
        const string name = "Statistics";
        var s = new Statistics();
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1: s.Max = Binary(ref r, type, name, id); break;
                case 2: s.Min = Binary(ref r, type, name, id); break;
                case 3: s.NullCount = I64(ref r, type, name, id); break;
                case 4: s.DistinctCount = I64(ref r, type, name, id); break;
                case 5: s.MaxValue = Binary(ref r, type, name, id); break;
                case 6: s.MinValue = Binary(ref r, type, name, id); break;
                case 7: s.IsMaxValueExact = Bool(type, name, id); break;
                case 8: s.IsMinValueExact = Bool(type, name, id); break;
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        return s;
    }

    private static PageEncodingStats ReadEncodingStats(ref ThriftCompactReader r, int depth)
    {
        const string name = "PageEncodingStats";
        var s = new PageEncodingStats();
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            switch (id)
            {
                case 1: s.PageType = (PageType)Enum(ref r, type, name, id, (int)PageType.DATA_PAGE_V2); break;
                case 2: s.Encoding = (Encoding)I32(ref r, type, name, id); break;
                case 3: s.Count = I32(ref r, type, name, id); break;
                default: r.Skip(type, depth + 1); break;
            }
        }
        r.EndStruct(saved);
        return s;
    }

    private static ColumnOrder ReadColumnOrder(ref ThriftCompactReader r, int depth)
    {
        var o = new ColumnOrder();
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            if (id == 1)
            {
                Expect(type, ThriftCompactReader.TypeStruct, "ColumnOrder", id);
                SkipEmpty(ref r, depth);
                o.TYPEORDER = new TypeDefinedOrder();
            }
            else
            {
                r.Skip(type, depth + 1);
            }
        }
        r.EndStruct(saved);
        return o;
    }

    private static List<KeyValue> ReadKeyValues(ref ThriftCompactReader r, byte type, string owner, short field, int depth)
    {
        var count = ListOf(ref r, type, ThriftCompactReader.TypeStruct, owner, field);
        var list = new List<KeyValue>(count);
        for (var i = 0; i < count; i++)
        {
            const string name = "KeyValue";
            var kv = new KeyValue();
            var keyed = false;
            var saved = r.BeginStruct();
            while (r.NextField(out var id, out var t))
            {
                switch (id)
                {
                    case 1: kv.Key = String(ref r, t, name, id); keyed = true; break;
                    case 2: kv.Value = String(ref r, t, name, id); break;
                    default: r.Skip(t, depth + 1); break;
                }
            }
            r.EndStruct(saved);
            Require(keyed, name, "key");
            list.Add(kv);
        }
        return list;
    }

    // The unit members of Parquet's unions are empty structs; later format versions may give them fields.
    private static void SkipEmpty(ref ThriftCompactReader r, int depth) => r.Skip(ThriftCompactReader.TypeStruct, depth + 1);

    private static int ListOf(ref ThriftCompactReader r, byte type, byte element, string owner, short field)
    {
        Expect(type, ThriftCompactReader.TypeList, owner, field);
        var count = r.ReadListHeader(out var actual);
        if (count > 0 && actual != element) throw Mistyped(owner, field, actual, element, "list element ");
        return count;
    }

    private static int I32(ref ThriftCompactReader r, byte type, string owner, short field)
    {
        Expect(type, ThriftCompactReader.TypeI32, owner, field);
        return r.ReadI32();
    }

    private static short I16(ref ThriftCompactReader r, byte type, string owner, short field)
    {
        Expect(type, ThriftCompactReader.TypeI16, owner, field);
        return r.ReadI16();
    }

    private static long I64(ref ThriftCompactReader r, byte type, string owner, short field)
    {
        Expect(type, ThriftCompactReader.TypeI64, owner, field);
        return r.ReadI64();
    }

    private static int Enum(ref ThriftCompactReader r, byte type, string owner, short field, int max)
    {
        var value = I32(ref r, type, owner, field);
        return value >= 0 && value <= max ? value : throw new InvalidDataException($"footer {owner} field {field} has unknown value {value}");
    }

    private static bool Bool(byte type, string owner, short field) => type switch
    {
        ThriftCompactReader.TypeBoolTrue => true,
        ThriftCompactReader.TypeBoolFalse => false,
        _ => throw Mistyped(owner, field, type, ThriftCompactReader.TypeBoolTrue, ""),
    };

    private static byte[] Binary(ref ThriftCompactReader r, byte type, string owner, short field)
    {
        Expect(type, ThriftCompactReader.TypeBinary, owner, field);
        return r.ReadBinary().ToArray();
    }

    private static string String(ref ThriftCompactReader r, byte type, string owner, short field)
    {
        Expect(type, ThriftCompactReader.TypeBinary, owner, field);
        return Utf8(r.ReadBinary(), owner, field);
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string owner, short field)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"footer {owner} field {field} is not valid UTF-8");
        }
    }

    private static void Expect(byte actual, byte expected, string owner, short field)
    {
        if (actual != expected) throw Mistyped(owner, field, actual, expected, "");
    }

    private static void Require(bool present, string owner, string field)
    {
        if (!present) throw new InvalidDataException($"footer {owner} lacks its required field {field}");
    }

    private static InvalidDataException Mistyped(string owner, short field, byte actual, byte expected, string what) =>
        new($"footer {owner} field {field} has {what}thrift type {TypeName(actual)} where {TypeName(expected)} belongs");

    private static string TypeName(byte type) => type switch
    {
        ThriftCompactReader.TypeBoolTrue or ThriftCompactReader.TypeBoolFalse => "bool",
        ThriftCompactReader.TypeByte => "byte",
        ThriftCompactReader.TypeI16 => "i16",
        ThriftCompactReader.TypeI32 => "i32",
        ThriftCompactReader.TypeI64 => "i64",
        ThriftCompactReader.TypeDouble => "double",
        ThriftCompactReader.TypeBinary => "binary",
        ThriftCompactReader.TypeList => "list",
        ThriftCompactReader.TypeSet => "set",
        ThriftCompactReader.TypeMap => "map",
        ThriftCompactReader.TypeStruct => "struct",
        _ => $"#{type}",
    };
}
