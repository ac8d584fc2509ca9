using System.Text.Json.Nodes;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Catalog;
using NUnit.Framework;

namespace Floe.Application.Tests.Ingest;

/// <summary>Spec "Default values": a column the input lacks is written with the field's write-default.</summary>
[TestFixture]
public sealed class WriteDefaultTests
{
    private TempWarehouse _w = null!;

    [SetUp]
    public void SetUp() => _w = new TempWarehouse();

    [TearDown]
    public void TearDown() => _w.Dispose();

    private void Create(params NestedField[] extra)
    {
        var fields = new List<NestedField> { new(1, "id", true, PrimitiveType.Long) };
        fields.AddRange(extra);
        _w.Warehouse.CreateTable(TableIdentifier.Parse("demo.d"), new Schema(0, fields), null,
            new Dictionary<string, string> { ["format-version"] = "3" });
    }

    [Test]
    public void Ingest_CsvWithoutTheColumns_FillsTheirWriteDefaults()
    {
        Create(
            new NestedField(2, "country", true, PrimitiveType.String, null, JsonValue.Create("NL"), JsonValue.Create("FR")),
            new NestedField(3, "score", false, PrimitiveType.Double, null, null, JsonValue.Create(0.5)),
            new NestedField(4, "seen", false, PrimitiveType.TimestampTz, null, null, JsonValue.Create("2024-01-02T03:04:05.000006+00:00")));
        _w.Ingest.Ingest("demo.d", _w.WriteFile("a.csv", "id,score\n1,2.5\n2,\n"), new IngestOptions());

        Assert.That(_w.ScanLines("demo.d"), Is.EqualTo(new[]
        {
            "id,country,score,seen",
            "1,FR,2.5,2024-01-02T03:04:05.000006Z",
            "2,FR,,2024-01-02T03:04:05.000006Z",
        }));
        // The values are in the data files, not filled at read: the count of a filter on them goes through the rows.
        var count = _w.Scan.Count("demo.d", new ScanRequest { Filter = "country = 'FR'" });
        Assert.That(count.Rows, Is.EqualTo(2));
    }

    [Test]
    public void Ingest_ParquetWithoutTheColumns_FillsTheirWriteDefaultsNotInitialDefaults()
    {
        // The Parquet file is written by another table that has only the id column.
        _w.Warehouse.CreateTable(TableIdentifier.Parse("demo.src"), new Schema(0, new[] { new NestedField(1, "id", true, PrimitiveType.Long) }));
        _w.Ingest.Ingest("demo.src", _w.WriteFile("src.csv", "id\n1\n2\n"), new IngestOptions());
        var parquet = Path.Combine(_w.Directory, "src.parquet");
        using (var sink = new Floe.Formats.Output.ParquetSink(parquet))
        {
            _w.Scan.Scan("demo.src", new ScanRequest(), sink);
        }

        Create(
            new NestedField(2, "country", true, PrimitiveType.String, null, JsonValue.Create("NL"), JsonValue.Create("FR")),
            new NestedField(3, "score", false, PrimitiveType.Double, null, JsonValue.Create(9.5), null));
        _w.Ingest.Ingest("demo.d", parquet, new IngestOptions());

        // country: its write-default, not the initial-default NL; score: no write-default, so null, not 9.5.
        Assert.That(_w.ScanLines("demo.d"), Is.EqualTo(new[] { "id,country,score", "1,FR,", "2,FR," }));
        var count = _w.Scan.Count("demo.d", new ScanRequest { Filter = "country = 'FR'" });
        Assert.That(count.Rows, Is.EqualTo(2));
    }

    [Test]
    public void Ingest_RequiredColumnMissingWithoutWriteDefault_FailsNamingIt()
    {
        Create(new NestedField(2, "country", true, PrimitiveType.String));
        var ex = Assert.Throws<FloeException>(() => _w.Ingest.Ingest("demo.d", _w.WriteFile("a.csv", "id\n1\n"), new IngestOptions()))!;
        Assert.That(ex.Message, Does.Contain("'country'"));
        Assert.That(_w.Warehouse.LoadTable(TableIdentifier.Parse("demo.d")).Metadata.CurrentSnapshot, Is.Null);
    }

    [Test]
    public void Ingest_WriteDefaultOfTheWrongType_IsInvalidDataNamingTheField()
    {
        Create(new NestedField(2, "n", false, PrimitiveType.Int, null, null, JsonValue.Create("seven")));
        var ex = Assert.Throws<FloeException>(() => _w.Ingest.Ingest("demo.d", _w.WriteFile("a.csv", "id\n1\n"), new IngestOptions()))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(ex.Message, Does.Contain("'n'").And.Contain("write-default"));
    }
}
