using System.Text.Json;
using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary><c>floe table create --property format-version=3</c>, <c>floe table upgrade</c>, row lineage columns and the v3 fixtures.</summary>
[TestFixture]
[Category("Integration")]
public sealed class FormatV3CliTests
{
    private string _dir = "";
    private string _warehouse = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-cli-v3-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _warehouse = Path.Combine(_dir, "wh");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private FloeProcess.Result Floe(params string[] args) => FloeProcess.Run(_warehouse, args);

    private FloeProcess.Result Ok(params string[] args)
    {
        var r = Floe(args);
        Assert.That(r.ExitCode, Is.EqualTo(0), $"floe {string.Join(' ', args)} failed: {r.Stderr}");
        return r;
    }

    private string Csv(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(FloeProcess.Result r) => r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray();

    [Test]
    public void CreateV3_IngestTwice_ScanShowsRowIdsAndSequenceNumbers()
    {
        var csv = Csv("a.csv", "id,name\n1,a\n2,b\n3,c\n");
        Ok("table", "create", "demo.t", "--schema", "id:long,name:string", "--property", "format-version=3");
        Ok("ingest", "demo.t", csv);
        Ok("ingest", "demo.t", csv);

        var show = JsonDocument.Parse(Ok("--json", "table", "show", "demo.t").Stdout).RootElement;
        Assert.That(show.GetProperty("format_version").GetInt32(), Is.EqualTo(3));
        Assert.That(show.GetProperty("next_row_id").GetInt64(), Is.EqualTo(6));
        var rows = Lines(Ok("scan", "demo.t", "--columns", "id,_row_id,_last_updated_sequence_number"));
        Assert.That(rows[0], Is.EqualTo("id,_row_id,_last_updated_sequence_number"));
        Assert.That(rows.Skip(1).OrderBy(r => r, StringComparer.Ordinal),
            Is.EqualTo(new[] { "1,0,1", "1,3,2", "2,1,1", "2,4,2", "3,2,1", "3,5,2" }));
    }

    [Test]
    public void Upgrade_V2Table_BecomesV3AndRefusesADowngrade()
    {
        Arrange.Table(_warehouse, "demo.t", "id:long");
        Arrange.Ingest(_warehouse, "demo.t", Csv("a.csv", "id\n7\n8\n"));
        var upgraded = JsonDocument.Parse(Ok("--json", "table", "upgrade", "demo.t").Stdout).RootElement;
        Assert.That(upgraded.GetProperty("format_version").GetInt32(), Is.EqualTo(3));
        Assert.That(Lines(Ok("scan", "demo.t", "--columns", "id,_row_id")).Skip(1), Is.EqualTo(new[] { "7,", "8," }), "no row ids before the first v3 commit");

        Ok("ingest", "demo.t", Csv("b.csv", "id\n9\n"));
        // The first commit after the upgrade numbers old and new rows alike (in manifest-list order).
        var ids = Lines(Ok("scan", "demo.t", "--columns", "_row_id,id")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(ids.Select(p => p[1]).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "7", "8", "9" }));
        Assert.That(ids.Select(p => long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture)).Order(), Is.EqualTo(new long[] { 0, 1, 2 }));

        var down = Floe("table", "upgrade", "demo.t", "--format-version", "2");
        Assert.That(down.ExitCode, Is.EqualTo(2), down.Stderr);
        Assert.That(down.Stderr, Does.Contain("downgrade"));
        Assert.That(down.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    private static string Fixture(string name) => global::Floe.Tests.Shared.SharedFixtures.Require(Path.Combine("iceberg", name));

    [Test]
    public void Scan_DuckDbV3Fixtures_MultiBlobReadsThreeRowsLegacyBareDvIsRefusedNamingTheFile()
    {
        var multi = Fixture("duckdb-v3-multi-blob-dv");
        Ok("table", "register", "fx.multi", Path.Combine(multi, "metadata", "00003-multi-blob.metadata.json"));
        Assert.That(Lines(Ok("scan", "fx.multi", "--columns", "id,source")).Skip(1).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "1,first", "3,first", "5,second" }));

        var legacy = Fixture("duckdb-v3-legacy-bare-dv");
        Ok("table", "register", "fx.legacy", Path.Combine(legacy, "metadata", "00002-legacy-bare-dv.metadata.json"));
        var r = Floe("scan", "fx.legacy");
        Assert.That(r.ExitCode, Is.EqualTo(5), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("legacy-bare-deletion-vector.puffin"));
    }

    [Test]
    public void TimestampNs_CsvIngestScanAndFilter_KeepNanoseconds()
    {
        var csv = Csv("ns.csv", "id,ts,tz\n1,2024-01-01T10:00:00.123456789,2024-01-01T10:00:00.123456789Z\n2,2024-01-02 11:30:00.000000001,2024-01-02T23:59:59.999999999+00:00\n3,,\n");
        Ok("table", "create", "demo.ns", "--schema", "id:long,ts:timestamp_ns,tz:timestamptz_ns", "--partition", "day(tz),hour(ts)", "--property", "format-version=3");
        Ok("ingest", "demo.ns", csv);
        Assert.That(Lines(Ok("scan", "demo.ns")).Skip(1).Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "1,2024-01-01T10:00:00.123456789,2024-01-01T10:00:00.123456789Z",
            "2,2024-01-02T11:30:00.000000001,2024-01-02T23:59:59.999999999Z",
            "3,,",
        }));
        Assert.That(Lines(Ok("scan", "demo.ns", "--columns", "id", "--filter", "tz >= '2024-01-02T23:59:59.999999999Z'")).Skip(1), Is.EqualTo(new[] { "2" }));
        Assert.That(Lines(Ok("scan", "demo.ns", "--columns", "id", "--filter", "ts = '2024-01-01T10:00:00.123456789'")).Skip(1), Is.EqualTo(new[] { "1" }));

        var v2 = Floe("table", "create", "demo.v2", "--schema", "id:long,ts:timestamp_ns");
        Assert.That(v2.ExitCode, Is.EqualTo(8), v2.Stderr);
        Assert.That(v2.Stderr, Does.Contain("'ts'").And.Contain("format-version 3"));
        var variant = Floe("table", "create", "demo.var", "--schema", "id:long,payload:variant", "--property", "format-version=3");
        Assert.That(variant.ExitCode, Is.EqualTo(8), variant.Stderr);
        Assert.That(variant.Stderr, Does.Contain("'payload'").And.Contain("variant"));
    }
}
