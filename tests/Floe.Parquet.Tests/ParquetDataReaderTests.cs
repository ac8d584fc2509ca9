using System.Globalization;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

[TestFixture]
public sealed class ParquetDataReaderTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-pqr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string WriteAllTypes(ParquetWriterOptions? options = null, int copies = 1)
    {
        var path = Path.Combine(_dir, "all.parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{}", options);
        using var batch = WriterTestSchemas.AllTypesBatch();
        for (var i = 0; i < copies; i++) writer.Write(batch);
        writer.Close();
        return path;
    }

    [Test]
    public void ReadRowGroup_AllPrimitiveTypes_RoundTripsValuesAndNulls()
    {
        var path = WriteAllTypes();
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, WriterTestSchemas.AllTypes);
        var batch = reader.ReadRowGroup(0);
        using var expected = WriterTestSchemas.AllTypesBatch();
        Assert.Multiple(() =>
        {
            Assert.That(batch.FirstRowPosition, Is.EqualTo(0));
            Assert.That(batch.Batch.Length, Is.EqualTo(4));
            Assert.That(reader.MatchesByFieldId, Is.True);
            for (var c = 0; c < expected.ColumnCount; c++)
            {
                var name = WriterTestSchemas.AllTypes.Fields[c].Name;
                Assert.That(Render(batch.Batch.Column(c)), Is.EqualTo(Render(expected.Column(c))), name);
                Assert.That(batch.Batch.Column(c).Data.DataType.TypeId, Is.EqualTo(expected.Column(c).Data.DataType.TypeId), name);
            }
        });
    }

    [Test]
    public void ReadAll_ManyRowGroups_ReportsRowPositions()
    {
        var path = WriteAllTypes(new ParquetWriterOptions { RowGroupRows = 6 }, copies: 4);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, WriterTestSchemas.AllTypes);
        var batches = reader.ReadAll().ToList();
        Assert.That(batches.Select(b => b.FirstRowPosition), Is.EqualTo(new long[] { 0, 6, 12 }));
        Assert.That(batches.Select(b => b.Batch.Length), Is.EqualTo(new[] { 6, 6, 4 }));
        Assert.That(reader.RecordCount, Is.EqualTo(16));
    }

    [Test]
    public void ReadRowGroup_ProjectionReorderedRenamedPromotedAndMissing_UsesIdsDefaultsAndConstants()
    {
        var path = WriteAllTypes();
        var projection = new Schema(1, new[]
        {
            new NestedField(14, "renamed_s", false, PrimitiveType.String),
            new NestedField(3, "i", false, PrimitiveType.Long), // int → long promotion
            new NestedField(5, "f", false, PrimitiveType.Double), // float → double promotion
            new NestedField(100, "added", false, PrimitiveType.Int, InitialDefault: System.Text.Json.Nodes.JsonValue.Create(7)),
            new NestedField(101, "added_null", false, PrimitiveType.String),
            new NestedField(102, "part", false, PrimitiveType.Date),
            new NestedField(1, "id", true, PrimitiveType.Long),
        });
        var constants = new Dictionary<int, object?> { [102] = 19000, [1] = 99L };
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, projection, constants);
        var batch = reader.ReadRowGroup(0).Batch;
        Assert.Multiple(() =>
        {
            Assert.That(batch.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(projection.Fields.Select(f => f.Name)));
            Assert.That(Render(batch.Column(0)), Is.EqualTo(new object?[] { "hello", "abcdefghijklmnopqrstuvwxyz", null, "émoji 🎉" }));
            Assert.That(Render(batch.Column(1)), Is.EqualTo(new object?[] { 5L, -7L, null, 42L }));
            Assert.That(Render(batch.Column(2)), Is.EqualTo(new object?[] { 1.5, double.NaN, null, -2.5 }));
            Assert.That(Render(batch.Column(3)), Is.EqualTo(new object?[] { 7, 7, 7, 7 }));
            Assert.That(Render(batch.Column(4)), Is.EqualTo(new object?[] { null, null, null, null }));
            Assert.That(Render(batch.Column(5)), Is.EqualTo(new object?[] { 19000, 19000, 19000, 19000 }));
            Assert.That(Render(batch.Column(6)), Is.EqualTo(new object?[] { 99L, 99L, 99L, 99L }));
        });
    }

    [Test]
    public void Open_TruncatedFile_ThrowsInvalidDataNamingFile()
    {
        var path = WriteAllTypes();
        var bytes = File.ReadAllBytes(path);
        var truncated = Path.Combine(_dir, "truncated.parquet");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<FloeException>(() => ParquetDataReader.Open(new LocalFileIO(), truncated, WriterTestSchemas.AllTypes).Dispose());
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.Contain(truncated));
    }

    [Test]
    public void ReadRowGroup_CorruptPage_ThrowsInvalidDataNamingFile()
    {
        var path = WriteAllTypes(new ParquetWriterOptions { Codec = ParquetCodec.Zstd });
        var bytes = File.ReadAllBytes(path);
        for (var i = 8; i < 200; i++) bytes[i] = 0xEE; // clobber the first column chunk, keep the footer
        var corrupt = Path.Combine(_dir, "corrupt.parquet");
        File.WriteAllBytes(corrupt, bytes);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), corrupt, WriterTestSchemas.AllTypes);
        var ex = Assert.Throws<FloeException>(() => reader.ReadRowGroup(0));
        Assert.That(ex!.Message, Does.Contain(corrupt));
    }

    [Test]
    public void Open_MissingFile_ThrowsNotFound()
    {
        var ex = Assert.Throws<FloeException>(() => ParquetDataReader.Open(new LocalFileIO(), Path.Combine(_dir, "nope.parquet"), WriterTestSchemas.AllTypes));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }

    [Test]
    public void ReadAll_EveryFixtureDataFile_RowCountsMatchDuckDb()
    {
        var files = ParquetFixtures.DataFiles().ToList();
        Assert.That(files, Has.Count.GreaterThan(40));
        // DuckDB's count(*) of each file, in one statement rather than a statement a file (about 50 files).
        var counts = new long[files.Count];
        foreach (var row in DuckDb.Rows(string.Join(" UNION ALL ", files.Select((f, i) => $"SELECT {i} AS i, count(*)::BIGINT AS n FROM read_parquet({DuckDb.Quote(f)})"))))
        {
            counts[row.GetInt32(0)] = row.GetInt64(1);
        }
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            using var reader = ParquetDataReader.Open(new LocalFileIO(), file);
            var rows = 0L;
            foreach (var batch in reader.ReadAll())
            {
                Assert.That(batch.FirstRowPosition, Is.EqualTo(rows), file);
                Assert.That(batch.Batch.ColumnCount, Is.EqualTo(reader.FileSchema.Fields.Count), file);
                rows += batch.Batch.Length;
            }
            Assert.That(rows, Is.EqualTo(counts[i]), file);
        }
    }

    [Test]
    public void ReadAll_Lineitem_ReadmeCountsAndDuckDbAggregates()
    {
        var dir = Path.Combine(ParquetFixtures.IcebergRoot(), "duckdb-lineitem", "data");
        var counts = new List<long>();
        foreach (var file in Directory.GetFiles(dir, "*.parquet").OrderBy(f => f, StringComparer.Ordinal))
        {
            using var reader = ParquetDataReader.Open(new LocalFileIO(), file);
            decimal price = 0;
            long shipDays = 0, count = 0;
            var commentBytes = 0L;
            foreach (var b in reader.ReadAll())
            {
                var prices = (Decimal128Array)b.Batch.Column("l_extendedprice");
                var dates = (Date32Array)b.Batch.Column("l_shipdate");
                var comments = (StringArray)b.Batch.Column("l_comment");
                for (var i = 0; i < b.Batch.Length; i++)
                {
                    price += prices.GetValue(i) ?? 0;
                    shipDays += dates.Values[i];
                    commentBytes += comments.GetBytes(i).Length;
                }
                count += b.Batch.Length;
            }
            var duck = DuckDb.Query($"SELECT sum(l_extendedprice) AS p, sum(l_shipdate - DATE '1970-01-01')::BIGINT AS d, sum(strlen(l_comment))::BIGINT AS c FROM read_parquet({DuckDb.Quote(file)})")[0];
            Assert.That(price, Is.EqualTo(Convert.ToDecimal(duck["p"], CultureInfo.InvariantCulture)), file);
            Assert.That(shipDays, Is.EqualTo(duck["d"]), file);
            Assert.That(commentBytes, Is.EqualTo(duck["c"]), file);
            counts.Add(count);
        }
        Assert.That(counts, Is.EquivalentTo(new long[] { 60175, 51793 }));
    }

    [Test]
    public void ReadAll_RedpandaNestedStructWithListOfStructs_MatchesDuckDb()
    {
        var file = Directory.GetFiles(Path.Combine(ParquetFixtures.IcebergRoot(), "duckdb-redpanda-hour-tag", "data"), "*.parquet", SearchOption.AllDirectories).Single();
        using var reader = ParquetDataReader.Open(new LocalFileIO(), file);
        var batch = reader.ReadRowGroup(0).Batch;
        var redpanda = (StructArray)batch.Column("redpanda");
        var duck = DuckDb.Query($"SELECT redpanda.partition AS p, redpanda.offset AS o, epoch_us(redpanda.timestamp) AS ts, len(redpanda.headers) AS h, decode(value) AS v FROM read_parquet({DuckDb.Quote(file)})")[0];
        var type = (Apache.Arrow.Types.StructType)redpanda.Data.DataType;
        Assert.Multiple(() =>
        {
            Assert.That(((Int32Array)redpanda.Fields[type.GetFieldIndex("partition", StringComparer.Ordinal)]).GetValue(0), Is.EqualTo(duck["p"]));
            Assert.That(((Int64Array)redpanda.Fields[type.GetFieldIndex("offset", StringComparer.Ordinal)]).GetValue(0), Is.EqualTo(duck["o"]));
            Assert.That(((TimestampArray)redpanda.Fields[type.GetFieldIndex("timestamp", StringComparer.Ordinal)]).Values[0], Is.EqualTo(duck["ts"]));
            var headers = (ListArray)redpanda.Fields[type.GetFieldIndex("headers", StringComparer.Ordinal)];
            Assert.That(headers.IsNull(0) ? 0 : headers.GetValueLength(0), Is.EqualTo(Convert.ToInt32(duck["h"] ?? 0, CultureInfo.InvariantCulture)));
            Assert.That(System.Text.Encoding.UTF8.GetString(((BinaryArray)batch.Column("value")).GetBytes(0)), Is.EqualTo(duck["v"]));
        });
    }

    [Test]
    public void ReadAll_MapColumn_MatchesDuckDb()
    {
        var files = Directory.GetFiles(Path.Combine(ParquetFixtures.IcebergRoot(), "duckdb-map-stats-day", "data"), "*.parquet", SearchOption.AllDirectories);
        foreach (var file in files)
        {
            using var reader = ParquetDataReader.Open(new LocalFileIO(), file);
            var map = (MapArray)reader.ReadRowGroup(0).Batch.Column("metadata");
            var duck = DuckDb.Query($"SELECT unnest(map_keys(metadata)) AS k, unnest(map_values(metadata)) AS v FROM read_parquet({DuckDb.Quote(file)})");
            var keys = (StringArray)map.Keys;
            var values = (StringArray)map.Values;
            var ours = Enumerable.Range(map.ValueOffsets[0], map.GetValueLength(0)).Select(i => (keys.GetString(i), values.GetString(i))).ToList();
            Assert.That(ours, Is.EqualTo(duck.Select(r => ((string?)r["k"], (string?)r["v"])).ToList()), file);
        }
    }

    [Test]
    public void ReadAll_ColumnDefaultsFixture_OldFileGetsInitialDefaults()
    {
        // The first file predates the added columns; the projection's initial defaults fill them.
        var root = Path.Combine(ParquetFixtures.IcebergRoot(), "duckdb-column-defaults", "data");
        var file = Directory.GetFiles(root, "*.parquet").OrderBy(f => new FileInfo(f).Length).First();
        var projection = new Schema(1, new[]
        {
            new NestedField(1, "col1", false, PrimitiveType.String),
            new NestedField(2, "col_boolean", false, PrimitiveType.Boolean, InitialDefault: System.Text.Json.Nodes.JsonValue.Create(true)),
            new NestedField(7, "col_decimal", false, PrimitiveType.Decimal(8, 2), InitialDefault: System.Text.Json.Nodes.JsonValue.Create("12345.00")),
            new NestedField(8, "col_date", false, PrimitiveType.Date, InitialDefault: System.Text.Json.Nodes.JsonValue.Create("2003-10-20")),
        });
        using var reader = ParquetDataReader.Open(new LocalFileIO(), file, projection);
        var batch = reader.ReadRowGroup(0).Batch;
        if (reader.FileSchema.FindField(2) is not null) Assert.Inconclusive("picked the newer file");
        Assert.Multiple(() =>
        {
            Assert.That(Render(batch.Column(1)), Has.All.EqualTo(true));
            Assert.That(Render(batch.Column(2)), Has.All.EqualTo(12345.00m));
            Assert.That(Render(batch.Column(3)), Has.All.EqualTo(12345));
        });
    }

    [Test]
    public void ReadRowGroup_FileWithoutFieldIds_MatchesByName()
    {
        var path = Path.Combine(_dir, "noids.parquet");
        var a = new global::Parquet.Schema.DataField<int>("a", true);
        var b = new global::Parquet.Schema.DataField<string>("b", true);
        using (var stream = File.Create(path))
        {
            var writer = global::Parquet.ParquetWriter.CreateAsync(new global::Parquet.Schema.ParquetSchema(a, b), stream).GetAwaiter().GetResult();
            using (var rg = writer.CreateRowGroup())
            {
                rg.WriteAsync<int>(a, new int?[] { 1, null, 3 }.AsMemory()).GetAwaiter().GetResult();
                rg.WriteAsync(b, new[] { "x", "y", null }).GetAwaiter().GetResult();
            }
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        var projection = new Schema(0, new[]
        {
            new NestedField(11, "b", false, PrimitiveType.String),
            new NestedField(10, "a", false, PrimitiveType.Long),
        });
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, projection);
        var batch = reader.ReadRowGroup(0).Batch;
        Assert.That(reader.MatchesByFieldId, Is.False);
        Assert.That(Render(batch.Column(0)), Is.EqualTo(new object?[] { "x", "y", null }));
        Assert.That(Render(batch.Column(1)), Is.EqualTo(new object?[] { 1L, null, 3L }));
    }

    internal static object?[] Render(IArrowArray array)
    {
        var result = new object?[array.Length];
        for (var i = 0; i < array.Length; i++)
        {
            if (array.IsNull(i)) continue;
            result[i] = array switch
            {
                BooleanArray a => a.GetValue(i),
                Int32Array a => a.GetValue(i),
                Int64Array a => a.GetValue(i),
                FloatArray a => (object?)a.GetValue(i),
                DoubleArray a => a.GetValue(i),
                Date32Array a => a.Values[i],
                Time64Array a => a.Values[i],
                TimestampArray a => a.Values[i],
                Decimal128Array a => a.GetValue(i),
                StringArray a => a.GetString(i),
                Apache.Arrow.Arrays.FixedSizeBinaryArray a => Convert.ToHexString(a.GetBytes(i)),
                BinaryArray a => Convert.ToHexString(a.GetBytes(i)),
                _ => throw new NotSupportedException(array.GetType().Name),
            };
        }
        return result;
    }
}
