using Apache.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Tests.Shared;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using NUnit.Framework;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.V3;

[TestFixture]
public sealed class RowLineageScanTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private Table CreateV3(PartitionSpec? spec = null) =>
        _t.Warehouse.CreateTable(TableIdentifier.Parse("demo.v3"), TestTables.EventsSchema, spec ?? TestTables.DaySpec,
            new Dictionary<string, string> { ["format-version"] = "3" });

    /// <summary>(entity, micros, amount) → (_row_id, _last_updated_sequence_number) over a scan.</summary>
    private static Dictionary<(long, long, double?), (long? RowId, long? Seq)> Lineage(TableScan scan)
    {
        var result = new Dictionary<(long, long, double?), (long?, long?)>();
        var selected = scan.Select(new[] { "entity_id", "_row_id", "event_time", "amount", "_last_updated_sequence_number" });
        Assert.That(selected.ProjectedSchema.Fields.Select(f => f.Name),
            Is.EqualTo(new[] { "entity_id", "_row_id", "event_time", "amount", "_last_updated_sequence_number" }));
        var (tasks, _) = selected.PlanFiles();
        foreach (var batch in selected.ReadBatches(tasks))
        {
            var ids = (Int64Array)batch.Column(0);
            var rowIds = (Int64Array)batch.Column(1);
            var times = (TimestampArray)batch.Column(2);
            var amounts = (DoubleArray)batch.Column(3);
            var seqs = (Int64Array)batch.Column(4);
            for (var i = 0; i < batch.Length; i++)
            {
                result.Add((ids.GetValue(i)!.Value, times.Values[i], amounts.GetValue(i)), (rowIds.GetValue(i), seqs.GetValue(i)));
            }
        }
        return result;
    }

    [Test]
    public void Scan_RowLineageColumns_AreFirstRowIdPlusPositionAndTheDataSequenceNumber()
    {
        var table = CreateV3();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 6, 0)));
        var second = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1, 2 }, 4, 100)));
        var lineage = Lineage(new TableScan(table.Refresh()));

        Assert.That(lineage.Count, Is.EqualTo(20));
        Assert.That(lineage.Values.Select(v => v.RowId!.Value).Order(), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
        Assert.That(lineage.Where(kv => kv.Key.Item3 < 100).Select(kv => kv.Value.Seq).Distinct(), Is.EqualTo(new long?[] { first.SequenceNumber }));
        Assert.That(lineage.Where(kv => kv.Key.Item3 >= 100).Select(kv => kv.Value.Seq).Distinct(), Is.EqualTo(new long?[] { second.SequenceNumber }));
        // Each file's rows are numbered from its first_row_id in file order.
        foreach (var file in RowLineageAssert.Consistent(table))
        {
            var path = file.FilePath.Replace("file://", "", StringComparison.Ordinal);
            var rows = DuckDb.Query($"SELECT entity_id, event_time, amount FROM read_parquet({DuckDb.Quote(path)}) ");
            for (var pos = 0; pos < rows.Count; pos++)
            {
                var key = ((long)rows[pos]["entity_id"]!, Micros(rows[pos]["event_time"]!), (double?)rows[pos]["amount"]);
                Assert.That(lineage[key].RowId, Is.EqualTo(file.FirstRowId + pos));
            }
        }
        // Time travel sees the ids the first snapshot assigned.
        var old = Lineage(new TableScan(table).UseSnapshot(first.SnapshotId));
        Assert.That(old.Keys.All(k => lineage[k] == old[k]), Is.True);
    }

    [Test]
    public void Scan_RowLineageOfV2OrPreUpgradeSnapshot_IsNull()
    {
        var table = _t.CreateEvents();
        var v2 = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 5, 0)));
        Assert.That(Lineage(new TableScan(table)).Values, Is.All.EqualTo(((long?)null, (long?)null)));

        FormatUpgrade.Commit(table, 3);
        Assert.That(Lineage(new TableScan(table.Refresh())).Values, Is.All.EqualTo(((long?)null, (long?)null)), "upgrade alone assigns nothing");
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)));
        var after = Lineage(new TableScan(table.Refresh()));
        Assert.That(after.Values.Select(v => v.RowId!.Value).Order(), Is.EqualTo(Enumerable.Range(0, 8).Select(i => (long)i)));
        Assert.That(after.Where(kv => kv.Key.Item2 < TestTables.Day0 + TestTables.MicrosPerDay).Select(kv => kv.Value.Seq).Distinct(),
            Is.EqualTo(new long?[] { v2.SequenceNumber }), "old rows keep their file's sequence number");
        Assert.That(Lineage(new TableScan(table).UseSnapshot(v2.SnapshotId)).Values, Is.All.EqualTo(((long?)null, (long?)null)));
    }

    [Test]
    public void Compact_V3_PreservesRowIdsAndSequenceNumbersAndMaterialisesThem()
    {
        var table = CreateV3(PartitionSpec.Unpartitioned);
        for (var i = 0; i < 4; i++) TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { i }, 5, i * 10)));
        var before = Lineage(new TableScan(table.Refresh()));

        var result = new RewriteDataFiles(table).Execute();
        Assert.That(result.SnapshotId, Is.Not.Null);
        var files = RowLineageAssert.Consistent(table);
        Assert.That(files.Count, Is.EqualTo(1));
        var after = Lineage(new TableScan(table.Refresh()));
        Assert.That(after, Is.EquivalentTo(before));

        // Independent reader: the rewritten file holds the columns under their reserved field ids.
        var path = files[0].FilePath.Replace("file://", "", StringComparison.Ordinal);
        var rows = DuckDb.Query($"SELECT entity_id, event_time, amount, _row_id, _last_updated_sequence_number FROM read_parquet({DuckDb.Quote(path)})");
        Assert.That(rows.Count, Is.EqualTo(20));
        foreach (var r in rows)
        {
            var key = ((long)r["entity_id"]!, Micros(r["event_time"]!), (double?)r["amount"]);
            Assert.That(((long)r["_row_id"]!, (long)r["_last_updated_sequence_number"]!), Is.EqualTo((before[key].RowId!.Value, before[key].Seq!.Value)));
        }
        var ids = DuckDb.Query($"SELECT name, field_id FROM parquet_schema({DuckDb.Quote(path)}) WHERE name LIKE '\\_%' ESCAPE '\\'");
        Assert.That(ids.Select(r => (r["name"], Convert.ToInt64(r["field_id"]))),
            Is.EquivalentTo(new (object?, long)[] { ("_row_id", MetadataColumns.RowIdFieldId), ("_last_updated_sequence_number", MetadataColumns.LastUpdatedSequenceNumberFieldId) }));
    }

    [Test]
    public void DeleteRows_CopyOnWriteV3_SurvivorsKeepTheirRowIds()
    {
        var table = CreateV3();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 10, 0)));
        var before = Lineage(new TableScan(table.Refresh()));

        var result = new DeleteRows(table, ExpressionParser.Parse("entity_id = 3", table.Metadata.CurrentSchema)).Execute();
        Assert.That(result.DeletedRows, Is.GreaterThan(0));
        var after = Lineage(new TableScan(table.Refresh()));
        Assert.That(after.Keys.Any(k => k.Item1 == 3), Is.False);
        Assert.That(after, Is.EquivalentTo(before.Where(kv => kv.Key.Item1 != 3)));
        RowLineageAssert.Consistent(table);
    }

    private static long Micros(object value) => value switch
    {
        DateTime dt => (dt.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10,
        DateTimeOffset dto => (dto.UtcTicks - DateTime.UnixEpoch.Ticks) / 10,
        _ => throw new InvalidOperationException(value.GetType().Name),
    };
}
