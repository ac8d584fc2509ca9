using System.Text;
using System.Text.Json;
using Apache.Arrow;
using DuckDB.NET.Data;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Application.Tables;
using Floe.Formats.Output;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Application.Tests.Ingest;

/// <summary>
/// Nested columns written into Floe tables: a DuckDB-written Parquet file with structs, lists and maps ingested into
/// a table declared with the nested schema syntax, and the foreign fixtures' nested tables rewritten by Floe (scan,
/// then ingest into a new table); DuckDB reads Floe's data files and must see the original values.
/// </summary>
[TestFixture]
public sealed class NestedIngestTests
{
    private const string NestedSchema =
        "i:long not null,s:struct<a:int,b:string,c:list<long>>,l:list<struct<x:long,y:string>>,m:map<string,list<long>>,ll:list<list<long>>";

    private static readonly string[] Columns = { "s", "l", "m", "ll" };

    [Test]
    public void SchemaText_NestedTypes_AssignIdsTopLevelFirstThenFieldByField()
    {
        var schema = SchemaText.Parse("id:long not null,s:struct<a:int not null,b:list<string not null>>,m:map<string,long>");
        Assert.Multiple(() =>
        {
            Assert.That(schema.Fields.Select(f => f.Id), Is.EqualTo(new[] { 1, 2, 3 }));
            var s = (StructType)schema.Fields[1].Type;
            Assert.That(s.Fields.Select(f => (f.Id, f.Name, f.Required)), Is.EqualTo(new[] { (4, "a", true), (5, "b", false) }));
            var b = (ListType)s.Fields[1].Type;
            Assert.That((b.ElementId, b.ElementRequired), Is.EqualTo((6, true)));
            var m = (MapType)schema.Fields[2].Type;
            Assert.That((m.KeyId, m.ValueId, m.ValueRequired), Is.EqualTo((7, 8, false)));
            Assert.That(schema.HighestFieldId, Is.EqualTo(8));
        });
    }

    [TestCase("s:struct<>")]
    [TestCase("m:map<string>")]
    [TestCase("l:list<lst<int>>")]
    [TestCase("s:struct<a:int,a:long>")]
    [TestCase("s:struct<a:int,>")]
    public void SchemaText_BadNestedType_IsAClearError(string text)
    {
        var e = Assert.Throws<Floe.Core.Errors.FloeException>(() => SchemaText.Parse(text))!;
        Assert.That(e.Code, Is.EqualTo(Floe.Core.Errors.FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void SchemaText_DeeplyNestedType_IsRefusedNotAStackOverflow()
    {
        var text = "l:" + string.Concat(Enumerable.Repeat("list<", 5000)) + "int" + new string('>', 5000);
        var e = Assert.Throws<Floe.Core.Errors.FloeException>(() => SchemaText.Parse(text))!;
        Assert.That(e.Message, Does.Contain("deeper"));
    }

    [TestCase(0)]
    // The same shapes from another seed: the deep pass.
    [TestCase(7919, Category = TestTier.Deep)]
    public void Ingest_DuckDbNestedParquet_FloeScanAndDuckDbOnFloeFilesEqualSource(int seed)
    {
        using var temp = new TempWarehouse();
        System.IO.Directory.CreateDirectory(temp.Directory);
        var source = Path.Combine(temp.Directory, "nested.parquet");
        Duck($"COPY ({Scanning.NestedParquetRoundTripTests.Generator(seed)}) TO '{source}' (FORMAT parquet, ROW_GROUP_SIZE 1000)");
        temp.Tables.Create("ns.nested", NestedSchema);
        var result = temp.Ingest.Ingest("ns.nested", source, new IngestOptions());
        Assert.That(result.RowsWritten, Is.EqualTo(3000));

        var expected = Rows($"SELECT i, {string.Join(", ", Columns.Select(c => $"coalesce(to_json({c})::VARCHAR, 'null')"))} FROM read_parquet('{source}')");
        var dataFiles = Path.Combine(temp.Warehouse.LoadTable(TableIdentifier.Parse("ns.nested")).Metadata.Location, "data");
        var duckOnFloe = Rows($"SELECT i, {string.Join(", ", Columns.Select(c => $"coalesce(to_json({c})::VARCHAR, 'null')"))} FROM read_parquet('{dataFiles}/**/*.parquet')");
        Assert.That(duckOnFloe, Is.EqualTo(expected));

        var scanned = ScanJson(temp, "ns.nested")
            .Select(e => string.Join("|", new[] { e.GetProperty("i").GetRawText() }.Concat(Columns.Select(c => e.GetProperty(c).GetRawText()))))
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.That(scanned, Is.EqualTo(expected));
    }

    [TestCase("duckdb-map-stats-day", "00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json")]
    [TestCase("duckdb-redpanda-hour-tag", "v1.metadata.json")]
    public void Rewrite_FixtureWithNestedColumns_NewTableEqualsOriginal(string fixture, string metadata)
    {
        using var temp = new TempWarehouse();
        var root = Path.Combine(FixturesRoot(), "iceberg", fixture);
        temp.Warehouse.RegisterTable(TableIdentifier.Parse("fx.orig"), Path.Combine(root, "metadata", metadata));
        var original = temp.Warehouse.LoadTable(TableIdentifier.Parse("fx.orig"));
        var copy = temp.Warehouse.CreateTable(TableIdentifier.Parse("fx.copy"), original.Schema);

        var collected = new CollectingSink();
        temp.Scan.Scan("fx.orig", new ScanRequest(), collected);
        Assert.That(collected.Batches, Is.Not.Empty);
        IngestService.Ingest(copy, collected.Batches, new IngestOptions());

        var before = ScanLines(temp, "fx.orig");
        var after = ScanLines(temp, "fx.copy");
        Assert.That(after, Is.EqualTo(before));
        Assert.That(before.Any(l => l.Contains('{', StringComparison.Ordinal)), Is.True, "the fixture's nested values are scanned");

        // An independent reader sees in Floe's files what it sees in the originals.
        var nested = original.Schema.Fields.Where(f => f.Type is not PrimitiveType).Select(f => $"coalesce(to_json({f.Name})::VARCHAR, 'null')").ToList();
        Assert.That(nested, Is.Not.Empty);
        var select = string.Join(" || '|' || ", nested);
        var copyData = Path.Combine(temp.Warehouse.LoadTable(TableIdentifier.Parse("fx.copy")).Metadata.Location, "data");
        Assert.That(Rows($"SELECT {select} FROM read_parquet('{copyData}/**/*.parquet')"),
            Is.EqualTo(Rows($"SELECT {select} FROM read_parquet('{Path.Combine(root, "data")}/**/*.parquet')")));
    }

    [TestCase("duckdb-map-stats-day", "00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json")]
    [TestCase("duckdb-redpanda-hour-tag", "v1.metadata.json")]
    public void ScanToParquet_FixtureWithNestedColumns_DuckDbReadsTheOriginalValues(string fixture, string metadata)
    {
        using var temp = new TempWarehouse();
        System.IO.Directory.CreateDirectory(temp.Directory);
        var root = Path.Combine(FixturesRoot(), "iceberg", fixture);
        temp.Warehouse.RegisterTable(TableIdentifier.Parse("fx.orig"), Path.Combine(root, "metadata", metadata));
        var output = Path.Combine(temp.Directory, "out.parquet");
        using (var sink = new ParquetSink(output))
        {
            temp.Scan.Scan("fx.orig", new ScanRequest(), sink);
        }
        var schema = temp.Warehouse.LoadTable(TableIdentifier.Parse("fx.orig")).Schema;
        var select = string.Join(" || '|' || ", schema.Fields.Where(f => f.Type is not PrimitiveType).Select(f => $"coalesce(to_json({f.Name})::VARCHAR, 'null')"));
        Assert.That(Rows($"SELECT {select} FROM read_parquet('{output}')"),
            Is.EqualTo(Rows($"SELECT {select} FROM read_parquet('{Path.Combine(root, "data")}/**/*.parquet')")));
    }

    private static List<string> ScanLines(TempWarehouse temp, string table) =>
        ScanJson(temp, table).Select(e => e.GetRawText()).OrderBy(s => s, StringComparer.Ordinal).ToList();

    private static List<JsonElement> ScanJson(TempWarehouse temp, string table)
    {
        using var stream = new MemoryStream();
        using (var sink = new JsonLinesSink(stream, ownsStream: false))
        {
            temp.Scan.Scan(table, new ScanRequest(), sink);
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static List<string> Rows(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var parts = new string[reader.FieldCount];
            for (var i = 0; i < parts.Length; i++) parts[i] = reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            rows.Add(string.Join("|", parts));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static void Duck(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string FixturesRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        Assert.Ignore("shared/fixtures not found");
        return "";
    }

    /// <summary>Keeps the scanned batches (the scan's own arrays) for ingesting elsewhere.</summary>
    private sealed class CollectingSink : IBatchSink
    {
        public List<RecordBatch> Batches { get; } = new();

        public void Begin(Schema schema)
        {
        }

        public void Write(RecordBatch batch) => Batches.Add(batch);

        public void Complete()
        {
        }

        public void Dispose()
        {
        }
    }
}
