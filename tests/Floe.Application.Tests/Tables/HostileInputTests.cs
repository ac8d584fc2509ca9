using Floe.Application.Scanning;
using Floe.Core.Errors;
using NUnit.Framework;

namespace Floe.Application.Tests.Tables;

/// <summary>
/// Inputs that used to be accepted silently or stored as something else: schema text with a trailing comma or an
/// invalid column name, a format-version the engine does not write (1, 4), and a decimal filter end to end.
/// </summary>
[TestFixture]
public sealed class HostileInputTests
{
    private TempWarehouse _w = null!;

    [SetUp]
    public void SetUp() => _w = new TempWarehouse();

    [TearDown]
    public void TearDown() => _w.Dispose();

    [TestCase("a:int,", "schema column 2 is empty")]
    [TestCase("a:int,,b:long", "schema column 2 is empty")]
    [TestCase(",a:int", "schema column 1 is empty")]
    [TestCase(" :int", "schema column ':int' must be name:type")]
    [TestCase("a\u0001b:int", "control character")]
    [TestCase("a\uFFFDb:int", "not valid UTF-8")]
    [TestCase("a\uD800b:int", "not valid UTF-8")]
    public void Create_BadSchemaText_IsInvalidArgumentAndCreatesNothing(string schema, string why)
    {
        var ex = Assert.Throws<FloeException>(() => _w.Tables.Create("demo.t", schema))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain(why));
        Assert.That(_w.Warehouse.Catalog.TableExists(Floe.Iceberg.Catalog.TableIdentifier.Parse("demo.t")), Is.False);
    }

    [Test]
    public void Create_SchemaWithNonAsciiNames_IsAccepted()
    {
        var d = _w.Tables.Create("demo.t", "prix_€:double,名前:string,emoji_😀:int");
        Assert.That(d.Schema.Fields.Select(f => f.Name), Is.EqualTo(new[] { "prix_€", "名前", "emoji_😀" }));
    }

    [TestCase("1", FloeErrorCode.Unsupported)]
    [TestCase("4", FloeErrorCode.InvalidArgument)]
    [TestCase("two", FloeErrorCode.InvalidArgument)]
    public void Create_FormatVersionNotTwoOrThree_IsRefusedAndCreatesNothing(string version, FloeErrorCode code)
    {
        var props = new Dictionary<string, string> { ["format-version"] = version };
        var ex = Assert.Throws<FloeException>(() => _w.Tables.Create("demo.t", "a:int", null, props))!;
        Assert.That(ex.Code, Is.EqualTo(code));
        Assert.That(ex.Message, Does.Contain("format-version"));
        Assert.That(_w.Warehouse.Catalog.TableExists(Floe.Iceberg.Catalog.TableIdentifier.Parse("demo.t")), Is.False);
    }

    [Test]
    public void Create_FormatVersionTwo_CreatesV2WithoutStoringTheReservedProperty()
    {
        var d = _w.Tables.Create("demo.t", "a:int", null, new Dictionary<string, string> { ["format-version"] = "2", ["owner"] = "me" });
        Assert.That(d.FormatVersion, Is.EqualTo(2));
        Assert.That(d.Properties.ContainsKey("format-version"), Is.False);
        Assert.That(d.Properties["owner"], Is.EqualTo("me"));
        var metadata = File.ReadAllText(_w.Tables.Describe("demo.t").MetadataLocation.Replace("file://", "", StringComparison.Ordinal));
        Assert.That(metadata, Does.Contain("\"format-version\" : 2").Or.Contain("\"format-version\":2"));
        Assert.That(metadata, Does.Not.Contain("\"format-version\" : \"2\"").And.Not.Contain("\"format-version\":\"2\""));
    }

    [Test]
    public void Scan_DecimalFilter_ReturnsTheMatchingRows()
    {
        _w.Tables.Create("demo.p", "id:long not null,price:decimal(10,2)");
        _w.Ingest.Ingest("demo.p", _w.WriteFile("p.csv", "id,price\n1,49.99\n2,50.00\n3,50.01\n4,\n5,-100.5\n6,12345678.99\n"), new Floe.Application.Ingest.IngestOptions());
        Assert.That(_w.ScanLines("demo.p", new ScanRequest { Filter = "price < 50" }), Is.EqualTo(new[] { "id,price", "1,49.99", "5,-100.50" }));
        Assert.That(_w.ScanLines("demo.p", new ScanRequest { Filter = "price >= 50 and price <= 50.01" }), Is.EqualTo(new[] { "id,price", "2,50.00", "3,50.01" }));
        Assert.That(_w.ScanLines("demo.p", new ScanRequest { Filter = "price in (50, 12345678.99)" }), Is.EqualTo(new[] { "id,price", "2,50.00", "6,12345678.99" }));
        var ex = Assert.Throws<FloeException>(() => _w.ScanLines("demo.p", new ScanRequest { Filter = "price < 50.001" }))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }
}
