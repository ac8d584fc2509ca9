using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Floe.Application.Scanning;
using Floe.Formats.Output;
using Floe.Iceberg.Catalog;
using NUnit.Framework;

namespace Floe.Application.Tests.Scanning;

/// <summary>
/// Nested columns of foreign fixture tables (a PyIceberg map, a Redpanda struct) scanned through the application
/// service into the CSV and JSON-lines sinks, checked against DuckDB reading the same Parquet files.
/// </summary>
[TestFixture]
public sealed class NestedScanTests
{
    private const string MapFixture = "duckdb-map-stats-day";
    private const string MapMetadata = "00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json";
    private const string StructFixture = "duckdb-redpanda-hour-tag";
    private const string StructMetadata = "v1.metadata.json";

    [Test]
    public void Scan_MapColumnOfPyIcebergTable_JsonEqualsDuckDb()
    {
        using var temp = new TempWarehouse();
        var root = Register(temp, "fx.map", MapFixture, MapMetadata);
        var lines = Json(temp, "fx.map", new ScanRequest());
        var actual = lines.Select(l => l.GetProperty("metadata").GetRawText()).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var expected = DuckColumn($"SELECT to_json(metadata)::VARCHAR FROM read_parquet({Files(root)})");
        Assert.That(actual, Has.Count.EqualTo(2));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(actual[0], Does.Contain("\"key\""));
    }

    [Test]
    public void Scan_MapColumn_CsvCellIsJsonText()
    {
        using var temp = new TempWarehouse();
        var root = Register(temp, "fx.map", MapFixture, MapMetadata);
        var rows = temp.ScanLines("fx.map", new ScanRequest { Columns = new[] { "input", "metadata" } });
        var expected = DuckColumn($"SELECT 'hello,\"' || replace(to_json(metadata)::VARCHAR, '\"', '\"\"') || '\"' FROM read_parquet({Files(root)})");
        Assert.That(rows[0], Is.EqualTo("input,metadata"));
        Assert.That(rows.Skip(1).ToList(), Is.EqualTo(expected));
    }

    [Test]
    public void Scan_RedpandaStruct_ValuesEqualDuckDb()
    {
        using var temp = new TempWarehouse();
        var root = Register(temp, "fx.rp", StructFixture, StructMetadata);
        var row = Json(temp, "fx.rp", new ScanRequest()).Single();
        var redpanda = row.GetProperty("redpanda");
        Assert.That(redpanda.ValueKind, Is.EqualTo(JsonValueKind.Object));
        var duck = DuckColumn(
            "SELECT redpanda.partition::VARCHAR || '|' || redpanda.offset::VARCHAR || '|' || strftime(redpanda.timestamp, '%Y-%m-%dT%H:%M:%S.%f') || '|' || " +
            $"coalesce(to_json(redpanda.headers)::VARCHAR, 'null') || '|' || coalesce(to_json(redpanda.key)::VARCHAR, 'null') FROM read_parquet({Files(root)})").Single();
        var floe = string.Join('|',
            redpanda.GetProperty("partition").GetRawText(),
            redpanda.GetProperty("offset").GetRawText(),
            redpanda.GetProperty("timestamp").GetString(),
            redpanda.GetProperty("headers").GetRawText(),
            redpanda.GetProperty("key").GetRawText());
        Assert.That(floe, Is.EqualTo(duck));
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(row.GetProperty("value").GetString()!)), Is.EqualTo("hello world"));
    }

    [Test]
    public void Scan_NestedColumnSelected_KeepsStructWithOnlyThatChild()
    {
        using var temp = new TempWarehouse();
        var root = Register(temp, "fx.rp", StructFixture, StructMetadata);
        var row = Json(temp, "fx.rp", new ScanRequest { Columns = new[] { "redpanda.partition" } }).Single();
        var names = row.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(names, Is.EqualTo(new[] { "redpanda" }));
        var children = row.GetProperty("redpanda").EnumerateObject().Select(p => p.Name + "=" + p.Value.GetRawText()).ToList();
        var partition = DuckColumn($"SELECT redpanda.partition::VARCHAR FROM read_parquet({Files(root)})").Single();
        Assert.That(children, Is.EqualTo(new[] { "partition=" + partition }));
    }

    [Test]
    public void Scan_TwoChildrenOfOneStructAndFilterOnThird_OneColumnWithBoth()
    {
        using var temp = new TempWarehouse();
        Register(temp, "fx.rp", StructFixture, StructMetadata);
        var request = new ScanRequest { Columns = new[] { "value", "redpanda.key", "redpanda.partition" }, Filter = "value is not null" };
        var row = Json(temp, "fx.rp", request).Single();
        Assert.That(row.EnumerateObject().Select(p => p.Name).ToList(), Is.EqualTo(new[] { "value", "redpanda" }));
        Assert.That(row.GetProperty("redpanda").EnumerateObject().Select(p => p.Name).ToList(), Is.EqualTo(new[] { "partition", "key" }));
    }

    [Test]
    public void Scan_FilterDroppingRowsOfTableWithNestedColumns_KeepsNestedValuesOfOthers()
    {
        using var temp = new TempWarehouse();
        var root = Register(temp, "fx.rp", StructFixture, StructMetadata);
        Assert.That(Json(temp, "fx.rp", new ScanRequest { Filter = "redpanda.offset > 0" }), Is.Empty);
        var kept = Json(temp, "fx.rp", new ScanRequest { Filter = "redpanda.offset = 0", Columns = new[] { "redpanda.partition" } }).Single();
        Assert.That(kept.GetProperty("redpanda").GetProperty("partition").GetRawText(),
            Is.EqualTo(DuckColumn($"SELECT redpanda.partition::VARCHAR FROM read_parquet({Files(root)})").Single()));
    }

    private static string Register(TempWarehouse temp, string name, string fixture, string metadata)
    {
        var root = Path.Combine(FixturesRoot(), "iceberg", fixture);
        temp.Warehouse.RegisterTable(TableIdentifier.Parse(name), Path.Combine(root, "metadata", metadata));
        return root;
    }

    private static List<JsonElement> Json(TempWarehouse temp, string table, ScanRequest request)
    {
        using var stream = new MemoryStream();
        using (var sink = new JsonLinesSink(stream, ownsStream: false))
        {
            temp.Scan.Scan(table, request, sink);
        }
        var text = Encoding.UTF8.GetString(stream.ToArray());
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static string Files(string root) => "'" + Path.Combine(root, "data").Replace("'", "''", StringComparison.Ordinal) + "/**/*.parquet'";

    private static List<string> DuckColumn(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read()) result.Add(reader.GetString(0));
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static string FixturesRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        Assert.Ignore("shared/fixtures not found");
        return "";
    }
}
