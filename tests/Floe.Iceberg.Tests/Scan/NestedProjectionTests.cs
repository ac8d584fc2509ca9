using Apache.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Table = Floe.Iceberg.Tables.Table;
using Floe.Iceberg.Tests.Spec;
using NUnit.Framework;
using Floe.Tests.Shared;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>Projection of struct children (Iceberg style: the struct stays, with only the selected children).</summary>
[TestFixture]
public sealed class NestedProjectionTests
{
    private string _warehouse = "";

    [SetUp]
    public void SetUp() => _warehouse = Path.Combine(Path.GetTempPath(), "floe-nested-proj-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_warehouse)) Directory.Delete(_warehouse, recursive: true);
    }

    [Test]
    public void Project_ChildAndWholeSibling_OrderFollowsFirstSelectionChildrenFollowTable()
    {
        var schema = Redpanda().Metadata.CurrentSchema;
        var projected = NestedProjection.Project(schema, new[] { "value", "redpanda.key", "redpanda.partition" });
        Assert.That(projected.Fields.Select(f => f.Name), Is.EqualTo(new[] { "value", "redpanda" }));
        var redpanda = (StructType)projected.Fields[1].Type;
        Assert.That(redpanda.Fields.Select(f => f.Id), Is.EqualTo(new[] { schema.GetField("redpanda.partition").Id, schema.GetField("redpanda.key").Id }));
        Assert.That(NestedProjection.Project(schema, new[] { "redpanda.key", "redpanda" }).Fields.Single(), Is.EqualTo(schema.GetField("redpanda")));
    }

    [Test]
    public void PruneArray_WholeStructReadForAFilter_KeepsOnlyProjectedChildValues()
    {
        var table = Redpanda();
        var schema = table.Metadata.CurrentSchema;
        var whole = new TableScan(table).Select(new[] { "redpanda" });
        var (tasks, _) = whole.PlanFiles();
        var batch = whole.ReadBatches(tasks).Single();
        var full = schema.GetField("redpanda");
        var pruned = NestedProjection.Project(schema, new[] { "redpanda.offset" }).Fields.Single();
        var array = (StructArray)NestedProjection.PruneArray(batch.Column(0), full, pruned);
        var offsetIndex = ((StructType)full.Type).Fields.ToList().FindIndex(f => f.Name == "offset");
        Assert.That(array.Fields, Has.Count.EqualTo(1));
        Assert.That(array.Data.DataType.Name, Is.EqualTo("struct"));
        Assert.That(((Int64Array)array.Fields[0]).GetValue(0), Is.EqualTo(((Int64Array)((StructArray)batch.Column(0)).Fields[offsetIndex]).GetValue(0)));
        Assert.That(((Int64Array)array.Fields[0]).GetValue(0), Is.Not.Null);
    }

    private Table Redpanda()
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", "duckdb-redpanda-hour-tag"));
        return new Warehouse(_warehouse).RegisterTable(TableIdentifier.Parse("fixtures.redpanda"), Path.Combine(root, "metadata", "v1.metadata.json"));
    }
}
