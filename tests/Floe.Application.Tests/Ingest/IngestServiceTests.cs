using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Core.Errors;
using NUnit.Framework;

namespace Floe.Application.Tests.Ingest;

[TestFixture]
public sealed class IngestServiceTests
{
    private const string Schema = "id:long not null,ts:timestamptz not null,amount:double,name:string,day:date,price:decimal(9,2),ok:boolean";
    private TempWarehouse _w = null!;

    [SetUp]
    public void SetUp()
    {
        _w = new TempWarehouse();
        _w.Tables.Create("demo.t", Schema, "day(ts)");
    }

    [TearDown]
    public void TearDown() => _w.Dispose();

    private const string GoodCsv = """
        id,ts,amount,name,day,price,ok
        1,2024-01-01T10:00:00Z,1.5,a,2024-01-01,10.25,true
        2,2024-01-02T11:30:00.123456Z,,b,2024-01-02,0.10,false
        3,2024-01-02T12:00:00+02:00,-3,"x, y",,7,
        """;

    [Test]
    public void Ingest_Csv_RoundTripsEveryValueThroughScan()
    {
        var result = _w.Ingest.Ingest("demo.t", _w.WriteFile("good.csv", GoodCsv), new IngestOptions());

        Assert.That(result.RowsWritten, Is.EqualTo(3));
        Assert.That(result.FilesWritten, Is.EqualTo(2));
        Assert.That(_w.ScanLines("demo.t"), Is.EqualTo(new[]
        {
            "id,ts,amount,name,day,price,ok",
            "1,2024-01-01T10:00:00Z,1.5,a,2024-01-01,10.25,true",
            "2,2024-01-02T11:30:00.123456Z,,b,2024-01-02,0.10,false",
            "3,2024-01-02T10:00:00Z,-3,\"x, y\",,7.00,",
        }));
    }

    [Test]
    public void Ingest_SnapshotProperties_AreRecordedInTheSummary()
    {
        var result = _w.Ingest.Ingest("demo.t", _w.WriteFile("good.csv", GoodCsv),
            new IngestOptions { Properties = new Dictionary<string, string> { ["floe.code-version"] = "abc123" } });
        Assert.That(result.Summary["floe.code-version"], Is.EqualTo("abc123"));
        Assert.That(_w.Tables.Snapshots("demo.t").Single().Snapshot.Summary["floe.code-version"], Is.EqualTo("abc123"));
    }

    private static IEnumerable<TestCaseData> BadFiles()
    {
        yield return new TestCaseData("id,ts,amount,name,day,price,ok\n1,2024-01-01T00:00:00Z,abc,a,2024-01-01,1,true\n", "line 2, column 'amount': 'abc' is not a valid double").SetName("Ingest_ValueNotADouble_NamesLineAndColumn");
        yield return new TestCaseData("id,ts,amount,name,day,price,ok\n1,2024-01-01T00:00:00Z,1,a,2024-01-01,1,true\n2,yesterday,1,a,2024-01-01,1,true\n", "line 3, column 'ts'").SetName("Ingest_BadTimestamp_NamesLineAndColumn");
        yield return new TestCaseData("id,ts,amount,name,day,price,ok\n,2024-01-01T00:00:00Z,1,a,2024-01-01,1,true\n", "line 2, column 'id': value is required but empty").SetName("Ingest_MissingRequiredValue_NamesLineAndColumn");
        yield return new TestCaseData("id,ts,amount,name,day,price\n1,2024-01-01T00:00:00Z,1,a,2024-01-01,1\n", "column 'ok' of the table schema is missing from the header").SetName("Ingest_MissingColumn_NamesColumn");
        yield return new TestCaseData("id,ts,amount,name,day,price,ok\n1,2024-01-01T00:00:00Z,1,a,2024-01-01,1\n", "line 2").SetName("Ingest_RowWithTooFewFields_NamesLine");
        yield return new TestCaseData("id,ts,amount,name,day,price,ok\n1,2024-01-01T00:00:00Z,1,a,2024-01-01,1.234,true\n", "line 2, column 'price'").SetName("Ingest_DecimalWithTooManyDigits_NamesLineAndColumn");
        yield return new TestCaseData("id,ts,amount,name,day,price,ok,extra\n1,2024-01-01T00:00:00Z,1,a,2024-01-01,1,true,9\n", "header column 'extra' is not in the table schema").SetName("Ingest_UnknownColumn_NamesColumn");
    }

    [TestCaseSource(nameof(BadFiles))]
    public void Ingest_BadCsv_FailsWithClearErrorAndLeavesTableUnchanged(string content, string expected)
    {
        _w.Ingest.Ingest("demo.t", _w.WriteFile("good.csv", GoodCsv), new IngestOptions());
        var before = _w.ScanLines("demo.t");
        var dataDir = Path.Combine(_w.Warehouse.Directory, "demo", "t", "data");
        var filesBefore = Directory.GetFiles(dataDir, "*", SearchOption.AllDirectories).Length;
        var path = _w.WriteFile("bad.csv", content);

        var error = Assert.Throws<FloeException>(() => _w.Ingest.Ingest("demo.t", path, new IngestOptions()));

        Assert.That(error!.Message, Does.Contain("bad.csv"));
        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(_w.ScanLines("demo.t"), Is.EqualTo(before));
        Assert.That(_w.Tables.Snapshots("demo.t"), Has.Count.EqualTo(1));
        Assert.That(Directory.GetFiles(dataDir, "*", SearchOption.AllDirectories), Has.Length.EqualTo(filesBefore), "files of the failed write are deleted");
    }

    [Test]
    public void CreateTable_UnknownTransform_NamesTransform()
    {
        var error = Assert.Throws<FloeException>(() => _w.Tables.Create("demo.u", "a:long", "week(a)"));
        Assert.That(error!.Message, Does.Contain("week"));
        Assert.That(error.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void CreateTable_UnknownType_NamesColumnAndType()
    {
        var error = Assert.Throws<FloeException>(() => _w.Tables.Create("demo.u", "a:long,b:varchar"));
        Assert.That(error!.Message, Does.Contain("column 'b'").And.Contain("varchar"));
    }

    [Test]
    public void Ingest_OverwritePartitionsTwice_IsIdempotent()
    {
        _w.Ingest.Ingest("demo.t", _w.WriteFile("good.csv", GoodCsv), new IngestOptions());
        var day2 = _w.WriteFile("day2.csv", "id,ts,amount,name,day,price,ok\n9,2024-01-02T09:00:00Z,9,z,2024-01-02,9,true\n");
        var overwrite = new IngestOptions { Mode = IngestMode.OverwritePartitions };
        _w.Ingest.Ingest("demo.t", day2, overwrite);
        var once = _w.ScanLines("demo.t");
        _w.Ingest.Ingest("demo.t", day2, overwrite);

        Assert.That(_w.ScanLines("demo.t"), Is.EqualTo(once));
        Assert.That(once, Has.Count.EqualTo(1 + 2));
        Assert.That(once[2], Does.StartWith("9,"));
    }

    [Test]
    public void Scan_AsOfBeforeFirstCommit_FailsNotFound()
    {
        _w.Ingest.Ingest("demo.t", _w.WriteFile("good.csv", GoodCsv), new IngestOptions());
        var error = Assert.Throws<FloeException>(() => _w.ScanLines("demo.t", new ScanRequest { AsOf = "2001-01-01 00:00:00" }));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }

    [Test]
    public void Count_WithoutFilter_ComesFromManifestsAndMatchesRows()
    {
        _w.Ingest.Ingest("demo.t", _w.WriteFile("good.csv", GoodCsv), new IngestOptions());
        Assert.That(_w.Scan.Count("demo.t", new ScanRequest()).Rows, Is.EqualTo(3));
        Assert.That(_w.Scan.Count("demo.t", new ScanRequest { Filter = "amount is null" }).Rows, Is.EqualTo(1));
    }
}
