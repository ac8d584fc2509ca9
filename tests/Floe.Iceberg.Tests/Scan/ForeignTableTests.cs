using Floe.Core.Arrow;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Spec;
using NUnit.Framework;
using Floe.Tests.Shared;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// Reads every table under shared/fixtures/iceberg (written by Spark, Iceberg Java, PyIceberg, DuckDB, Athena,
/// Redpanda) in place, at every snapshot, and checks the live row counts the fixtures README records.
/// </summary>
[TestFixture]
public sealed class ForeignTableTests
{
    private static readonly (string Fixture, string Metadata, long SnapshotId, long Rows)[] Expected =
    {
        ("duckdb-column-defaults", "00003-3f1801a5-7dfb-4072-b14a-39cd12f9279b.metadata.json", 8904642012249016277, 2),
        ("duckdb-column-defaults", "00003-3f1801a5-7dfb-4072-b14a-39cd12f9279b.metadata.json", 1915606074736806848, 3),
        ("duckdb-eqdel-partitioned", "v6.metadata.json", 6447922032991303611, 4),
        ("duckdb-eqdel-partitioned", "v6.metadata.json", 4416477559988274704, 3),
        ("duckdb-eqdel-partitioned", "v6.metadata.json", 6022113614852838397, 2),
        ("duckdb-eqdel-partitioned", "v6.metadata.json", 883882341917253211, 4),
        ("duckdb-eqdel-partitioned", "v6.metadata.json", 3138177759849079112, 3),
        ("duckdb-eqdel-unpartitioned", "v7.metadata.json", 853766660775201079, 4),
        ("duckdb-eqdel-unpartitioned", "v7.metadata.json", 1584331123492059582, 2),
        ("duckdb-eqdel-unpartitioned", "v7.metadata.json", 842401149381792626, 1),
        ("duckdb-eqdel-unpartitioned", "v7.metadata.json", 3340507003387467420, 3),
        ("duckdb-eqdel-unpartitioned", "v7.metadata.json", 1916084761853986166, 2),
        ("duckdb-lineitem", "v2.metadata.json", 7817332053627255703, 60175),
        ("duckdb-lineitem", "v2.metadata.json", 2354745328521181395, 51793),
        ("duckdb-map-stats-day", "00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json", 8792170059756986233, 1),
        ("duckdb-map-stats-day", "00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json", 554549470069664013, 2),
        ("duckdb-partition-evolution", "v4.metadata.json", 2541674261311761067, 2),
        ("duckdb-partition-evolution", "v4.metadata.json", 5128628767169163501, 6),
        ("duckdb-partition-timestamp", "00001-0c9938a5-103e-4185-b46d-331368ae4db7.metadata.json", 2508913168551256223, 2),
        ("duckdb-redpanda-hour-tag", "v1.metadata.json", 2608844449237347010, 1),
        ("duckdb-v1-merch", "00003-8d01e4aa-d143-49c9-898e-b5e477577b70.metadata.json", 3549704636346557910, 3),
        ("duckdb-v1-merch", "00003-8d01e4aa-d143-49c9-898e-b5e477577b70.metadata.json", 381223374871251311, 6),
        ("duckdb-v1-merch", "00003-8d01e4aa-d143-49c9-898e-b5e477577b70.metadata.json", 5191822260710938731, 4),
        ("icebird-athena-example", "00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json", 6838723292707092922, 2),
        ("icebird-java-bunnies", "v5.metadata.json", 4951213507629824583, 21),
        ("icebird-java-bunnies", "v5.metadata.json", 6458828015811002920, 15),
        ("icebird-java-bunnies", "v5.metadata.json", 9158179788527662767, 15),
        ("icebird-spark-bunnies", "v5.metadata.json", 7505300640432048841, 21),
        ("icebird-spark-bunnies", "v5.metadata.json", 469881615898633426, 20),
        ("icebird-spark-bunnies", "v5.metadata.json", 2701171901096418979, 20),
        ("icebird-spark-rename-column", "v3.metadata.json", 5276958600260276572, 4),
        ("polars-v1-day", "v2.metadata.json", 7051579356916758811, 3),
        ("duckdb-v3-multi-blob-dv", "00003-multi-blob.metadata.json", 4008342791228255080, 3),
        ("duckdb-v3-multi-blob-dv", "00003-multi-blob.metadata.json", 6085737399650530681, 6),
        ("duckdb-v3-multi-blob-dv", "00003-multi-blob.metadata.json", 7777777777777777777, 3),
        ("duckdb-v3-legacy-bare-dv", "00002-legacy-bare-dv.metadata.json", 8314182234503896325, 3),
    };

    private string _warehouse = "";

    [SetUp]
    public void SetUp() => _warehouse = Path.Combine(Path.GetTempPath(), "floe-foreign-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_warehouse)) Directory.Delete(_warehouse, recursive: true);
    }

    private static IEnumerable<TestCaseData> Cases() =>
        Expected.Select(e => new TestCaseData(e.Fixture, e.Metadata, e.SnapshotId, e.Rows).SetName($"Read_{e.Fixture}_{e.SnapshotId}_Returns{e.Rows}Rows"));

    private static IEnumerable<TestCaseData> AggregateCases() =>
        Expected.Select(e => new TestCaseData(e.Fixture, e.Metadata, e.SnapshotId, e.Rows).SetName($"Aggregate_{e.Fixture}_{e.SnapshotId}_StatisticsAgreeWithValues"));

    [TestCaseSource(nameof(Cases))]
    public void Read_SnapshotOfForeignTable_ReturnsLiveRowCountFromReadme(string fixture, string metadata, long snapshotId, long rows)
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", fixture));
        var warehouse = new Warehouse(_warehouse);
        var table = warehouse.RegisterTable(TableIdentifier.Parse("fixtures." + fixture.Replace('-', '_')), Path.Combine(root, "metadata", metadata));
        var scan = new TableScan(table).UseSnapshot(snapshotId);
        var (tasks, _) = scan.PlanFiles();
        long read = 0;
        foreach (var batch in scan.ReadBatches(tasks))
        {
            Assert.That(batch.ColumnCount, Is.EqualTo(scan.ProjectedSchema.Fields.Count));
            read += batch.Length;
        }
        Assert.That(read, Is.EqualTo(rows));
    }

    /// <summary>
    /// Aggregates over foreign writers' tables answered from their manifests' statistics (bounds, null and NaN counts
    /// written by Spark, Iceberg Java, DuckDB, Athena, Polars...) equal the same aggregates with every value decoded,
    /// and count(*) equals the README's live row count.
    /// </summary>
    [TestCaseSource(nameof(AggregateCases))]
    public void Aggregate_SnapshotOfForeignTable_StatisticsAgreeWithDecodedValues(string fixture, string metadata, long snapshotId, long rows)
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", fixture));
        var warehouse = new Warehouse(_warehouse);
        var table = warehouse.RegisterTable(TableIdentifier.Parse("fixtures." + fixture.Replace('-', '_')), Path.Combine(root, "metadata", metadata));
        var scan = new TableScan(table).UseSnapshot(snapshotId);
        var calls = new List<AggregateCall> { new(AggregateFunction.Count, null) };
        foreach (var field in scan.TableSchema.Fields)
        {
            if (field.Type is not Floe.Core.Types.PrimitiveType type) continue;
            calls.Add(new AggregateCall(AggregateFunction.Count, field.Name));
            var id = type.Id;
            if (id is Floe.Core.Types.TypeId.Int or Floe.Core.Types.TypeId.Long or Floe.Core.Types.TypeId.Float or Floe.Core.Types.TypeId.Double)
            {
                calls.Add(new AggregateCall(AggregateFunction.Sum, field.Name));
            }
            if (id is Floe.Core.Types.TypeId.Int or Floe.Core.Types.TypeId.Long or Floe.Core.Types.TypeId.Float or Floe.Core.Types.TypeId.Double
                or Floe.Core.Types.TypeId.Date or Floe.Core.Types.TypeId.Timestamp or Floe.Core.Types.TypeId.TimestampTz
                or Floe.Core.Types.TypeId.TimestampNs or Floe.Core.Types.TypeId.TimestampTzNs)
            {
                calls.Add(new AggregateCall(AggregateFunction.Min, field.Name));
                calls.Add(new AggregateCall(AggregateFunction.Max, field.Name));
            }
        }
        var tasks = scan.PlanFiles().Tasks;
        var fromStatistics = scan.Aggregate(tasks, calls, useStatistics: true);
        var decoded = scan.Aggregate(tasks, calls, useStatistics: false);
        Assert.That(fromStatistics.Values[0].Value, Is.EqualTo(rows));
        for (var i = 0; i < calls.Count; i++)
        {
            var a = fromStatistics.Values[i].Value;
            var b = decoded.Values[i].Value;
            if (a is double x && b is double y) Assert.That(x, Is.EqualTo(y).Within(1e-12 * Math.Max(1, Math.Abs(y))), calls[i].ToString());
            else Assert.That(a, Is.EqualTo(b), calls[i].ToString());
        }
    }

    private List<string> Rows(string fixture, string metadata, params string[] columns)
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", fixture));
        var table = new Warehouse(_warehouse).RegisterTable(TableIdentifier.Parse("fixtures.values"), Path.Combine(root, "metadata", metadata));
        var scan = new TableScan(table).Select(columns);
        var (tasks, _) = scan.PlanFiles();
        var result = new List<string>();
        foreach (var batch in scan.ReadBatches(tasks))
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var values = new List<string>();
                for (var c = 0; c < columns.Length; c++)
                {
                    var type = (Floe.Core.Types.PrimitiveType)scan.ProjectedSchema.Fields[c].Type;
                    var value = Floe.Core.Arrow.ArrowValues.Get(batch.Column(c), row, type);
                    values.Add(value is null ? "null" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!);
                }
                result.Add(string.Join(",", values));
            }
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    [Test]
    public void Read_EqualityDeletesUnpartitioned_LeavesTheRowsTheGeneratorExpects()
    {
        Assert.That(Rows("duckdb-eqdel-unpartitioned", "v7.metadata.json", "id", "name"), Is.EqualTo(new[] { "4,d", "5,e" }));
    }

    [Test]
    public void Read_EqualityDeletesPartitioned_AreScopedToTheirPartition()
    {
        Assert.That(Rows("duckdb-eqdel-partitioned", "v6.metadata.json", "id", "name"), Is.EqualTo(new[] { "1,a", "4,d", "5,e" }));
    }

    [Test]
    public void Read_PartitionEvolutionWithStrippedColumns_FillsIdentityValuesFromManifests()
    {
        var rows = Rows("duckdb-partition-evolution", "v4.metadata.json", "event_type");
        Assert.That(rows, Is.EqualTo(new[] { "click", "click", "purchase", "purchase", "view", "view" }));
    }

    [Test]
    public void Read_ColumnsAddedWithDefaults_OldFileShowsInitialDefaults()
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", "duckdb-column-defaults"));
        var metadata = "00003-3f1801a5-7dfb-4072-b14a-39cd12f9279b.metadata.json";
        var table = new Warehouse(_warehouse).RegisterTable(TableIdentifier.Parse("fixtures.defaults"), Path.Combine(root, "metadata", metadata));
        var withDefault = table.Schema.Fields.First(f => f.InitialDefault is not null);
        var rows = Rows("duckdb-column-defaults", metadata, withDefault.Name);
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows, Has.None.EqualTo("null"), $"column {withDefault.Name} has initial-default {withDefault.InitialDefault}");
    }

    [Test]
    public void Read_SnapshotWhoseManifestListIsMissing_FailsNamingTheFile()
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", "duckdb-eqdel-unpartitioned"));
        var table = new Warehouse(_warehouse).RegisterTable(TableIdentifier.Parse("fixtures.missing"), Path.Combine(root, "metadata", "v7.metadata.json"));
        var scan = new TableScan(table).UseSnapshot(7342794868382145167);
        var error = Assert.Throws<FloeException>(() => scan.PlanFiles());
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(error.Message, Does.Contain("snap-7342794868382145167"));
    }

    [Test]
    public void Read_TwoDeletionVectorsInOnePuffinFile_LeaveTheRowsDuckDbExpects()
    {
        Assert.That(Rows("duckdb-v3-multi-blob-dv", "00003-multi-blob.metadata.json", "id", "source"), Is.EqualTo(new[] { "1,first", "3,first", "5,second" }));
    }

    [Test]
    public void Read_BareDeletionVectorWithoutPuffinContainer_FailsNamingTheFile()
    {
        var error = Assert.Throws<FloeException>(() => Rows("duckdb-v3-legacy-bare-dv", "00002-legacy-bare-dv.metadata.json", "id"));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("legacy-bare-deletion-vector.puffin"));
    }
}
