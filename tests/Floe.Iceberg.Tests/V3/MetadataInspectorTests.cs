using System.Diagnostics;
using System.Text.Json.Nodes;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using NUnit.Framework;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.V3;

/// <summary>
/// The v3 tables Floe writes pass <c>tests/interop/inspect_metadata.py</c>, a metadata inspector in plain Python
/// (its own Avro decoder, no Floe code) that checks row lineage: next-row-id, first-row-id/added-rows, first_row_id
/// of manifests and data files, non-overlapping id ranges.
/// </summary>
[TestFixture]
public sealed class MetadataInspectorTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop", "inspect_metadata.py");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail("tests/interop/inspect_metadata.py not found above the test binaries");
        return "";
    }

    private static (int ExitCode, string Output) Inspect(string metadataFile)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script());
        start.ArgumentList.Add(metadataFile);
        start.ArgumentList.Add("--expect-format");
        start.ArgumentList.Add("3");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("python3 is not installed");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr);
        }
    }

    private static string Local(Table table) => new Uri(table.Refresh().MetadataLocation).LocalPath;

    [Test]
    public void Inspector_V3TableAfterEveryWriterPath_AcceptsLineage()
    {
        var table = _t.Warehouse.CreateTable(TableIdentifier.Parse("demo.v3"), TestTables.EventsSchema, TestTables.DaySpec,
            new Dictionary<string, string> { ["format-version"] = "3" });
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1, 2 }, 8, 0)));
        var merge = new MergeAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 2, 3 }, 5, 50)))) merge.AppendFile(f);
        merge.Commit();
        TestTables.Overwrite(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 100)));
        new DeleteRows(table, ExpressionParser.Parse("entity_id = 2", table.Metadata.CurrentSchema)).Execute();
        new RewriteDataFiles(table).Execute();
        new ExpireSnapshots(table).ExpireOlderThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000).RetainLast(2).Execute();

        var (code, output) = Inspect(Local(table));
        Assert.That(code, Is.EqualTo(0), output);
        var report = JsonNode.Parse(output)!;
        Assert.That((long)report["next-row-id"]!, Is.EqualTo(table.Metadata.NextRowId));
        Assert.That((int)report["data-files"]!, Is.EqualTo(RowLineageAssert.Consistent(table).Count));
    }

    [Test]
    public void Inspector_UpgradedTable_AcceptsOldSnapshotsWithoutRowIds()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 4, 0)));
        FormatUpgrade.Commit(table, 3);
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 4, 0)));
        var (code, output) = Inspect(Local(table));
        Assert.That(code, Is.EqualTo(0), output);
    }

    [Test]
    public void Inspector_NextRowIdBehindAssignedIds_IsReported()
    {
        var table = _t.Warehouse.CreateTable(TableIdentifier.Parse("demo.v3"), TestTables.EventsSchema, TestTables.DaySpec,
            new Dictionary<string, string> { ["format-version"] = "3" });
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 5, 0)));
        var json = JsonNode.Parse(File.ReadAllText(Local(table)))!;
        json["next-row-id"] = 7;
        var broken = Path.Combine(Path.GetDirectoryName(Local(table))!, "99999-broken.metadata.json");
        File.WriteAllText(broken, json.ToJsonString());
        var (code, output) = Inspect(broken);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("next-row-id"));
    }
}
