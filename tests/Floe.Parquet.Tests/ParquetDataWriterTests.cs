using NUnit.Framework;
using System.Globalization;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

[TestFixture]
public sealed partial class ParquetDataWriterTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-pq-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private (string Path, ParquetFileMetrics Metrics) WriteAllTypes(ParquetWriterOptions? options = null)
    {
        var path = Path.Combine(_dir, "all.parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{\"type\":\"struct\"}", options);
        using var batch = WriterTestSchemas.AllTypesBatch();
        writer.Write(batch);
        return (path, writer.Close());
    }

    [Test]
    public void Write_AllPrimitiveTypes_DuckDbSeesFieldIdsAndLogicalTypes()
    {
        var (path, _) = WriteAllTypes();
        var schema = DuckDb.Query($"SELECT name, type, converted_type, field_id, logical_type, repetition_type FROM parquet_schema({DuckDb.Quote(path)})");
        var leaves = schema.Skip(1).ToDictionary(r => (string)r["name"]!);
        Assert.Multiple(() =>
        {
            Assert.That(leaves, Has.Count.EqualTo(17));
            foreach (var field in WriterTestSchemas.AllTypes.Fields)
            {
                Assert.That(Convert.ToInt32(leaves[field.Name]["field_id"], CultureInfo.InvariantCulture), Is.EqualTo(field.Id), field.Name);
                Assert.That(leaves[field.Name]["repetition_type"], Is.EqualTo(field.Required ? "REQUIRED" : "OPTIONAL"), field.Name);
            }
            Assert.That(leaves["ts"]["logical_type"]?.ToString(), Does.Contain("isAdjustedToUTC=0").And.Contain("MICROS"));
            Assert.That(leaves["tstz"]["logical_type"]?.ToString(), Does.Contain("isAdjustedToUTC=1").And.Contain("MICROS"));
            Assert.That(leaves["tm"]["logical_type"]?.ToString(), Does.Contain("TimeType"));
            Assert.That(leaves["dt"]["converted_type"], Is.EqualTo("DATE"));
            Assert.That(leaves["s"]["converted_type"], Is.EqualTo("UTF8"));
            Assert.That(leaves["u"]["logical_type"]?.ToString(), Does.Contain("UUID"));
            Assert.That(leaves["dec9"]["type"], Is.EqualTo("INT32"));
            Assert.That(leaves["dec18"]["type"], Is.EqualTo("INT64"));
            Assert.That(leaves["dec38"]["type"], Is.EqualTo("FIXED_LEN_BYTE_ARRAY"));
        });
        var kv = DuckDb.Query($"SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata({DuckDb.Quote(path)})");
        Assert.That(kv.Single(r => (string?)r["k"] == "iceberg.schema")["v"], Is.EqualTo("{\"type\":\"struct\"}"));
    }

    [Test]
    public void Write_AllPrimitiveTypes_DuckDbReadsSameValues()
    {
        var (path, _) = WriteAllTypes();
        var rows = DuckDb.Query($"SELECT * FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id");
        Assert.That(rows, Has.Count.EqualTo(4));
        var r0 = rows[0];
        var r2 = rows[2];
        Assert.Multiple(() =>
        {
            Assert.That(r0["b"], Is.EqualTo(true));
            Assert.That(r0["i"], Is.EqualTo(5));
            Assert.That(rows[3]["l"], Is.EqualTo(long.MaxValue));
            Assert.That(r0["f"], Is.EqualTo(1.5f));
            Assert.That(r0["dec9"], Is.EqualTo(123.45m));
            Assert.That(rows[1]["dec18"], Is.EqualTo(-99999999999999.9999m));
            Assert.That(r0["dec38"], Is.EqualTo(12345678901234.5678901234m));
            Assert.That(r0["dt"]?.ToString(), Does.Contain("2024"));
            Assert.That(r0["ts"], Is.EqualTo(DateTime.UnixEpoch.AddTicks(WriterTestSchemas.Ts1 * 10)));
            Assert.That(r0["s"], Is.EqualTo("hello"));
            Assert.That(rows[3]["s"], Is.EqualTo("émoji 🎉"));
            Assert.That(r0["u"], Is.EqualTo(WriterTestSchemas.Uuid1));
            Assert.That(r0["fx"], Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(rows[1]["bin"], Has.Length.EqualTo(40));
            foreach (var field in WriterTestSchemas.AllTypes.Fields.Skip(1))
            {
                Assert.That(r2[field.Name], Is.Null, field.Name);
            }
        });
    }

    [Test]
    public void Write_AllPrimitiveTypes_DuckDbStatisticsInColumnUnits()
    {
        var (path, _) = WriteAllTypes();
        var meta = DuckDb.Query($"SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count, compression FROM parquet_metadata({DuckDb.Quote(path)})")
            .ToDictionary(r => (string)r["path_in_schema"]!);
        Assert.Multiple(() =>
        {
            Assert.That(meta["ts"]["stats_min_value"]?.ToString(), Does.StartWith("2024-01-02 03:04:05.123456"));
            Assert.That(meta["ts"]["stats_max_value"]?.ToString(), Does.StartWith("2024-01-03 03:04:05.123456"));
            Assert.That(meta["i"]["stats_min_value"], Is.EqualTo("-7"));
            Assert.That(meta["i"]["stats_max_value"], Is.EqualTo("42"));
            Assert.That(meta["i"]["stats_null_count"], Is.EqualTo(1));
            Assert.That(meta["dec9"]["stats_min_value"], Is.EqualTo("-0.01"));
            Assert.That(meta["f"]["stats_max_value"], Is.EqualTo("1.5"));
            Assert.That(meta["s"]["stats_min_value"], Is.EqualTo("abcdefghijklmnopqrstuvwxyz"));
            Assert.That(meta["id"]["compression"], Is.EqualTo("ZSTD"));
        });
        var filtered = DuckDb.Query($"SELECT count(*) AS n FROM read_parquet({DuckDb.Quote(path)}) WHERE ts >= TIMESTAMP '2024-01-03 00:00:00'");
        Assert.That(filtered[0]["n"], Is.EqualTo(1));
    }

    [Test]
    public void Close_AllPrimitiveTypes_MetricsMatchData()
    {
        var (path, m) = WriteAllTypes();
        Assert.Multiple(() =>
        {
            Assert.That(m.RecordCount, Is.EqualTo(4));
            Assert.That(m.FileSizeInBytes, Is.EqualTo(new FileInfo(path).Length));
            Assert.That(m.ValueCounts[14], Is.EqualTo(4));
            Assert.That(m.NullValueCounts[1], Is.EqualTo(0));
            Assert.That(m.NullValueCounts[14], Is.EqualTo(1));
            Assert.That(m.NanValueCounts[5], Is.EqualTo(1));
            Assert.That(m.NanValueCounts[6], Is.EqualTo(1));
            Assert.That(m.NanValueCounts.ContainsKey(3), Is.False);
            Assert.That(m.ColumnSizes.Keys, Is.EquivalentTo(Enumerable.Range(1, 17)));
            Assert.That(m.ColumnSizes.Values, Has.All.GreaterThan(0));
            Assert.That(m.LowerBounds[2], Is.EqualTo(false));
            Assert.That(m.UpperBounds[2], Is.EqualTo(true));
            Assert.That(m.LowerBounds[3], Is.EqualTo(-7));
            Assert.That(m.UpperBounds[4], Is.EqualTo(long.MaxValue));
            Assert.That(m.LowerBounds[5], Is.EqualTo(-2.5f));
            Assert.That(m.UpperBounds[5], Is.EqualTo(1.5f));
            Assert.That(m.LowerBounds[6], Is.EqualTo(0.0));
            Assert.That(double.IsNegative((double)m.LowerBounds[6]), Is.True, "zero lower bound is -0.0");
            Assert.That(m.LowerBounds[7], Is.EqualTo(-0.01m));
            Assert.That(m.UpperBounds[7], Is.EqualTo(9999999.99m));
            Assert.That(m.LowerBounds[9], Is.EqualTo(-1m));
            Assert.That(m.UpperBounds[9], Is.EqualTo(12345678901234.5678901234m));
            Assert.That(m.LowerBounds[10], Is.EqualTo(-1));
            Assert.That(m.UpperBounds[12], Is.EqualTo(WriterTestSchemas.Ts2));
            Assert.That(m.LowerBounds[14], Is.EqualTo("abcdefghijklmnop"));
            Assert.That(m.UpperBounds[14], Is.EqualTo("émoji 🎉"));
            Assert.That(m.LowerBounds[15], Is.EqualTo(WriterTestSchemas.Uuid1));
            Assert.That(m.UpperBounds[15], Is.EqualTo(WriterTestSchemas.Uuid2));
            Assert.That(m.LowerBounds[17], Is.EqualTo(Array.Empty<byte>()));
            Assert.That(m.UpperBounds[17], Is.EqualTo(Enumerable.Repeat((byte)0xAB, 15).Append((byte)0xAC).ToArray()));
            Assert.That(m.SplitOffsets, Is.EqualTo(new[] { 4L }));
        });
    }

    [TestCase(ParquetCodec.Snappy, "SNAPPY")]
    [TestCase(ParquetCodec.Gzip, "GZIP")]
    [TestCase(ParquetCodec.Uncompressed, "UNCOMPRESSED")]
    [TestCase(ParquetCodec.Zstd, "ZSTD")]
    public void Write_Codec_DuckDbReadsEveryRowGroup(ParquetCodec codec, string duckName)
    {
        var path = Path.Combine(_dir, "many.parquet");
        var options = new ParquetWriterOptions { Codec = codec, RowGroupRows = 1000, PageBytes = 1024 };
        ParquetFileMetrics m;
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{}", options))
        {
            using var batch = WriterTestSchemas.AllTypesBatch();
            for (var i = 0; i < 1001; i++) writer.Write(batch);
            m = writer.Close();
        }
        var stats = DuckDb.Query($"SELECT count(*) AS n, count(s) AS s, sum(id)::BIGINT AS ids, count(DISTINCT u) AS u FROM read_parquet({DuckDb.Quote(path)})")[0];
        var meta = DuckDb.Query($"SELECT DISTINCT row_group_id, compression FROM parquet_metadata({DuckDb.Quote(path)})");
        Assert.Multiple(() =>
        {
            Assert.That(stats["n"], Is.EqualTo(4004));
            Assert.That(stats["s"], Is.EqualTo(3003));
            Assert.That(Convert.ToInt64(stats["ids"], CultureInfo.InvariantCulture), Is.EqualTo(10 * 1001));
            Assert.That(stats["u"], Is.EqualTo(2));
            Assert.That(meta.Select(r => r["row_group_id"]).Distinct().Count(), Is.EqualTo(5));
            Assert.That(meta.Select(r => r["compression"]).Distinct(), Is.EqualTo(new[] { duckName }));
            Assert.That(m.SplitOffsets, Has.Count.EqualTo(5));
            Assert.That(m.NullValueCounts[14], Is.EqualTo(1001));
        });
    }

    [Test]
    public void Write_SlicedArrowArrays_HonoursOffsets()
    {
        var path = Path.Combine(_dir, "sliced.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{}"))
        {
            using var batch = WriterTestSchemas.AllTypesBatch();
            writer.Write(batch.Slice(1, 3));
            writer.Close();
        }
        var rows = DuckDb.Query($"SELECT id, s, b, dec38, u FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id");
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r["id"]), Is.EqualTo(new object[] { 2L, 3L, 4L }));
            Assert.That(rows.Select(r => r["s"]), Is.EqualTo(new object?[] { "abcdefghijklmnopqrstuvwxyz", null, "émoji 🎉" }));
            Assert.That(rows.Select(r => r["b"]), Is.EqualTo(new object?[] { false, null, true }));
            Assert.That(rows[0]["u"], Is.EqualTo(WriterTestSchemas.Uuid2));
        });
    }

    [Test]
    public void Write_WrongArrowType_ThrowsNamingColumn()
    {
        var path = Path.Combine(_dir, "bad.parquet");
        var schema = new Schema(0, new[] { new NestedField(1, "ts", false, PrimitiveType.Timestamp) });
        var io = new LocalFileIO();
        var writer = new ParquetDataWriter(io, path, schema, "{}");
        var arrow = new Apache.Arrow.Schema(new[] { new Apache.Arrow.Field("ts", new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Millisecond, (string?)null), true) }, null);
        using var batch = new Apache.Arrow.RecordBatch(arrow, new[] { ArrowTestData.Primitive<long>(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Millisecond, (string?)null), new long?[] { 1 }) }, 1);
        var ex = Assert.Throws<FloeException>(() => writer.Write(batch));
        Assert.That(ex!.Message, Does.Contain("'ts'").And.Contain(path));
        writer.Dispose();
        Assert.That(File.Exists(path), Is.False, "an abandoned file is deleted");
    }

    [Test]
    public void Write_WideDecimalBeyondItsFixedWidth_IsRefusedNotTruncated()
    {
        // decimal(20,2) is stored in 9 bytes; an unscaled value needing more used to lose its high bytes silently.
        var schema = new Schema(0, new[] { new NestedField(1, "d", false, PrimitiveType.Decimal(20, 2)) });
        using var writer = new ParquetDataWriter(new MemoryStream(), "mem", schema, "{}");
        var arrowSchema = Floe.Core.Arrow.ArrowSchemas.ToArrow(schema);
        using var batch = new Apache.Arrow.RecordBatch(arrowSchema, new[] { ArrowTestData.Decimals(20, 2, new decimal?[] { 1m, 100000000000000000000m }) }, 2);
        var ex = Assert.Throws<FloeException>(() => writer.Write(batch));
        Assert.That(ex!.Message, Does.Contain("row 1").And.Contain("precision 20"));
    }

    [Test]
    public void Write_ListFieldGivenFlatArrowArray_ThrowsNamingTheColumn()
    {
        var schema = new Schema(0, new[] { new NestedField(1, "l", false, new ListType(2, false, PrimitiveType.Int)) });
        using var writer = new ParquetDataWriter(new MemoryStream(), "mem", schema, "{}");
        var arrowSchema = new Apache.Arrow.Schema(new[] { new Apache.Arrow.Field("l", Apache.Arrow.Types.Int32Type.Default, true) }, null);
        using var batch = new Apache.Arrow.RecordBatch(arrowSchema, new[] { ArrowTestData.Primitive<int>(Apache.Arrow.Types.Int32Type.Default, new int?[] { 1 }) }, 1);
        var ex = Assert.Throws<FloeException>(() => writer.Write(batch));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain("'l'"));
    }

    [TestCase(0)]
    [TestCase(64)]
    [TestCase(1 << 20)]
    public void Write_StringColumnAnyDictionaryLimit_DuckDbReadsSameStrings(int dictionaryBytes)
    {
        var schema = new Schema(0, new[]
        {
            new NestedField(1, "id", true, PrimitiveType.Long),
            new NestedField(2, "s", false, PrimitiveType.String),
        });
        var path = Path.Combine(_dir, "dict.parquet");
        var options = new ParquetWriterOptions { DictionaryPageBytes = dictionaryBytes, RowGroupRows = 700, PageBytes = 512 };
        var expected = new List<string?>();
        ParquetFileMetrics metrics;
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, schema, "{}", options))
        {
            for (var b = 0; b < 5; b++)
            {
                var ids = new List<long?>();
                var strings = new List<string?>();
                for (var i = 0; i < 300; i++)
                {
                    var row = b * 300 + i;
                    ids.Add(row);
                    strings.Add(row % 11 == 0 ? null : "key-" + (row % (b < 3 ? 5 : 97)));
                }
                expected.AddRange(strings);
                using var batch = new Apache.Arrow.RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(schema), new[]
                {
                    ArrowTestData.Primitive<long>(Apache.Arrow.Types.Int64Type.Default, ids),
                    ArrowTestData.Strings(strings),
                }, 300);
                writer.Write(batch);
            }
            metrics = writer.Close();
        }
        var rows = DuckDb.Query($"SELECT s FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id");
        var encodings = DuckDb.Query($"SELECT encodings FROM parquet_metadata({DuckDb.Quote(path)}) WHERE path_in_schema = 's'");
        Assert.Multiple(() =>
        {
            Same.Sequence(rows.Select(r => (string?)r["s"]), expected);
            Assert.That(metrics.LowerBounds[2], Is.EqualTo("key-0"));
            Assert.That(metrics.UpperBounds[2], Is.EqualTo("key-96"));
            Assert.That(metrics.NullValueCounts[2], Is.EqualTo(expected.Count(s => s is null)));
            var first = encodings[0]["encodings"]?.ToString();
            Assert.That(first, dictionaryBytes == 0 ? Does.Not.Contain("DICTIONARY") : Does.Contain("RLE_DICTIONARY"));
        });
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, schema);
        var ours = reader.ReadAll().SelectMany(b => ParquetDataReaderTests.Render(b.Batch.Column(1))).ToList();
        Same.Sequence(ours, expected);
    }
}
