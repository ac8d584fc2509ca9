using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Arrow;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Tests.Shared;
using Floe.Iceberg.Tests.Tables;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.V3;

/// <summary>timestamp_ns / timestamptz_ns (format v3): Parquet INT64 TIMESTAMP(NANOS), Arrow ns, day/hour partitions, filters.</summary>
[TestFixture]
public sealed class TimestampNanosTests
{
    private static readonly Schema NanosSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "ts", false, PrimitiveType.TimestampNs),
        new NestedField(3, "tz", false, PrimitiveType.TimestampTzNs),
    });

    // 2024-01-01T10:00:00.123456789, 2024-01-02T23:59:59.999999999, 1969-12-31T23:59:59.999999999 (before the epoch).
    private static readonly long[] Nanos = { 1_704_103_200_123_456_789L, 1_704_239_999_999_999_999L, -1L };

    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private Table Create(string partition)
    {
        var spec = new PartitionSpec(0, new[]
        {
            new PartitionField(3, 1000, "tz_day", Transform.Day),
            new PartitionField(2, 1001, "ts_hour", Transform.Hour),
        });
        return _t.Warehouse.CreateTable(TableIdentifier.Parse("demo." + partition), NanosSchema, spec,
            new Dictionary<string, string> { ["format-version"] = "3" });
    }

    private static RecordBatch Batch()
    {
        var ids = new Int64Array.Builder();
        for (var i = 0; i < Nanos.Length; i++) ids.Append(i);
        return new RecordBatch(ArrowSchemas.ToArrow(NanosSchema), new IArrowArray[]
        {
            ids.Build(),
            Timestamps(new TimestampType(TimeUnit.Nanosecond, (string?)null)),
            Timestamps(new TimestampType(TimeUnit.Nanosecond, "UTC")),
        }, Nanos.Length);
    }

    private static TimestampArray Timestamps(TimestampType type)
    {
        var bytes = new byte[Nanos.Length * 8];
        Buffer.BlockCopy(Nanos, 0, bytes, 0, bytes.Length);
        return new TimestampArray(type, new ArrowBuffer(bytes), ArrowBuffer.Empty, Nanos.Length, 0, 0);
    }

    private static List<(long Id, long Ts, long Tz)> Read(TableScan scan)
    {
        var rows = new List<(long, long, long)>();
        var (tasks, _) = scan.PlanFiles();
        foreach (var b in scan.ReadBatches(tasks))
        {
            Assert.That(((TimestampType)b.Schema.GetFieldByName("tz").DataType).Unit, Is.EqualTo(TimeUnit.Nanosecond));
            for (var i = 0; i < b.Length; i++)
            {
                rows.Add((((Int64Array)b.Column(0)).GetValue(i)!.Value, ((TimestampArray)b.Column(1)).Values[i], ((TimestampArray)b.Column(2)).Values[i]));
            }
        }
        rows.Sort();
        return rows;
    }

    [Test]
    public void WriteRead_NanosecondTimestamps_RoundTripExactlyAndDuckDbReadsTheSameInstants()
    {
        var table = Create("nanos");
        TestTables.Append(table, Batch());
        var rows = Read(new TableScan(table.Refresh()));
        Assert.That(rows, Is.EqualTo(Nanos.Select((n, i) => ((long)i, n, n)).ToList()));

        var files = RowLineageAssert.Consistent(table);
        Assert.That(files.Count, Is.EqualTo(3), "one file per (day, hour) partition");
        foreach (var file in files)
        {
            var path = DuckDb.Quote(file.FilePath.Replace("file://", "", StringComparison.Ordinal));
            var row = DuckDb.Query($"SELECT id, epoch_ns(ts) AS ts, epoch_ns(tz) AS tz FROM read_parquet({path})").Single();
            var expected = Nanos[(long)row["id"]!];
            Assert.That((long)row["ts"]!, Is.EqualTo(expected));
            // DuckDB turns a UTC-adjusted TIMESTAMP(NANOS) into its microsecond TIMESTAMPTZ; the nanoseconds are checked by Floe's read above.
            Assert.That(Math.Abs((long)row["tz"]! - expected), Is.LessThan(1000));
            var types = DuckDb.Query($"SELECT name, logical_type FROM parquet_schema({path}) WHERE name IN ('ts', 'tz') ORDER BY name");
            Assert.That(types.Select(t => t["logical_type"]?.ToString()), Has.All.Contains("NANOS"));
        }
    }

    [Test]
    public void Partition_DayAndHourOfNanos_AreTheSpecsValues()
    {
        var table = Create("parts");
        TestTables.Append(table, Batch());
        var partitions = RowLineageAssert.Consistent(table)
            .Select(f => (Convert.ToInt32(f.Partition[0]), Convert.ToInt32(f.Partition[1]))).OrderBy(p => p).ToList();
        // day = floor(ns / 86_400e9), hour = floor(ns / 3_600e9): the epoch's last nanosecond is day -1, hour -1.
        var expected = Nanos.Select(n => ((int)FloorDiv(n, 86_400_000_000_000L), (int)FloorDiv(n, 3_600_000_000_000L))).OrderBy(p => p).ToList();
        Assert.That(partitions, Is.EqualTo(expected));
        Assert.That(partitions[0], Is.EqualTo((-1, -1)));
    }

    private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);

    [TestCase("tz = '2024-01-02T23:59:59.999999999Z'", 1)]
    [TestCase("tz > '2024-01-02T23:59:59.999999998Z'", 1)]
    [TestCase("tz >= '2024-01-02T23:59:59.999999999Z'", 1)]
    [TestCase("tz > '2024-01-02T23:59:59.999999999Z'", -1)]
    [TestCase("ts = '2024-01-01T10:00:00.123456789'", 0)]
    [TestCase("ts < '1970-01-01T00:00:00'", 2)]
    public void Filter_NanosecondLiteral_SelectsExactlyTheRow(string filter, int expectedId)
    {
        var table = Create("filters");
        TestTables.Append(table, Batch());
        var scan = new TableScan(table.Refresh()).Filter(ExpressionParser.Parse(filter, table.Metadata.CurrentSchema));
        var ids = Read(scan).Select(r => r.Id).ToList();
        Assert.That(ids, Is.EqualTo(expectedId < 0 ? System.Array.Empty<long>() : new[] { (long)expectedId }));
        // Partition pruning on the day transform leaves at most the matching day's file.
        Assert.That(scan.PlanFiles().Tasks.Count, Is.LessThanOrEqualTo(expectedId < 0 ? 0 : 2));
    }

    [Test]
    public void Create_V2TableWithTimestampNs_IsRefusedNamingTheColumn()
    {
        var ex = Assert.Throws<FloeException>(() => _t.Warehouse.CreateTable(TableIdentifier.Parse("demo.v2"), NanosSchema))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.Unsupported));
        Assert.That(ex.Message, Does.Contain("'ts'").And.Contain("format-version 3"));
        Assert.That(_t.Warehouse.Catalog.TableExists(TableIdentifier.Parse("demo.v2")), Is.False);
    }

    [TestCase("variant")]
    [TestCase("geometry")]
    [TestCase("geography")]
    [TestCase("unknown")]
    public void SchemaJson_OtherV3Type_IsUnsupportedNamingTheField(string type)
    {
        var json = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
                   + "{\"id\":2,\"name\":\"payload\",\"required\":false,\"type\":\"" + type + "\"}]}";
        var ex = Assert.Throws<FloeException>(() => SchemaParser.Parse(json))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.Unsupported));
        Assert.That(ex.Message, Does.Contain("'payload'").And.Contain(type));
    }
}
