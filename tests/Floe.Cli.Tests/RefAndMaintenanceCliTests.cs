using System.Text.Json;
using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary>End-to-end runs of <c>floe branch|tag|cherry-pick|expire-snapshots|remove-orphans|compact</c>.</summary>
[TestFixture]
[Category("Integration")]
public sealed class RefAndMaintenanceCliTests
{
    private string _dir = "";
    private string _warehouse = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-cli-refs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _warehouse = Path.Combine(_dir, "wh");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private FloeProcess.Result Ok(params string[] args)
    {
        var r = FloeProcess.Run(_warehouse, args);
        Assert.That(r.ExitCode, Is.EqualTo(0), $"floe {string.Join(' ', args)} failed: {r.Stderr}");
        return r;
    }

    private string Csv(string name, int day, double amount)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, $"entity_id,event_time,amount\n1,2024-01-0{day} 10:00:00,{amount}\n2,2024-01-0{day} 11:00:00,{amount}\n");
        return path;
    }

    private long Count(params string[] extra) => long.Parse(Ok(new[] { "scan", "demo.ev", "--count" }.Concat(extra).ToArray()).Stdout.Trim());

    [Test]
    public void BranchTagFastForwardCherryPick_WorkAndReportErrors()
    {
        Arrange.Table(_warehouse, "demo.ev", "entity_id:long not null,event_time:timestamptz not null,amount:double", "day(event_time)");
        Arrange.Ingest(_warehouse, "demo.ev", Csv("a.csv", 1, 1));
        var branch = JsonDocument.Parse(Ok("--json", "branch", "create", "demo.ev", "audit", "--min-snapshots-to-keep", "2").Stdout).RootElement;
        Assert.That(branch.GetProperty("min_snapshots_to_keep").GetInt32(), Is.EqualTo(2));
        Ok("tag", "create", "demo.ev", "v1", "--max-ref-age-ms", "86400000");
        Ok("ingest", "demo.ev", Csv("b.csv", 2, 2), "--branch", "audit");
        Assert.That(Count(), Is.EqualTo(2));
        Assert.That(Count("--ref", "audit"), Is.EqualTo(4));

        Ok("branch", "fast-forward", "demo.ev", "main", "audit");
        Assert.That(Count(), Is.EqualTo(4));
        Assert.That(Count("--ref", "v1"), Is.EqualTo(2));
        var names = JsonDocument.Parse(Ok("--json", "branch", "list", "demo.ev").Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.That(names, Is.EqualTo(new[] { "main", "audit" }));

        var staged = JsonDocument.Parse(Ok("--json", "ingest", "demo.ev", Csv("c.csv", 3, 3), "--branch", "stage").Stdout).RootElement.GetProperty("snapshot_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Arrange.Ingest(_warehouse, "demo.ev", Csv("d.csv", 4, 4));
        var picked = JsonDocument.Parse(Ok("--json", "cherry-pick", "demo.ev", staged).Stdout).RootElement;
        Assert.That(picked.GetProperty("summary").GetProperty("source-snapshot-id").GetString(), Is.EqualTo(staged));
        Assert.That(Count(), Is.EqualTo(8));

        var diverged = FloeProcess.Run(_warehouse, "branch", "fast-forward", "demo.ev", "main", "stage");
        Assert.That(diverged.ExitCode, Is.EqualTo(10));
        Assert.That(diverged.Stderr, Does.Contain("not an ancestor"));
        Assert.That(FloeProcess.Run(_warehouse, "branch", "drop", "demo.ev", "main").ExitCode, Is.EqualTo(2));
        Assert.That(FloeProcess.Run(_warehouse, "tag", "drop", "demo.ev", "nope").ExitCode, Is.EqualTo(3));
        Assert.That(FloeProcess.Run(_warehouse, "branch", "create", "demo.ev", "x", "--from", "123").ExitCode, Is.EqualTo(3));
        Assert.That(FloeProcess.Run(_warehouse, "cherry-pick", "demo.ev", staged).ExitCode, Is.EqualTo(10));
        Ok("tag", "drop", "demo.ev", "v1");
        Assert.That(Ok("tag", "list", "demo.ev").Stdout.Trim(), Is.Empty);
    }

    [Test]
    public void CompactExpireRemoveOrphans_KeepRowsAndDeleteFiles()
    {
        Arrange.Table(_warehouse, "demo.ev", "entity_id:long not null,event_time:timestamptz not null,amount:double", "day(event_time)");
        for (var i = 0; i < 4; i++) Arrange.Ingest(_warehouse, "demo.ev", Csv($"{i}.csv", 1 + i % 2, i));
        var before = Ok("scan", "demo.ev").Stdout.Split('\n').Order(StringComparer.Ordinal).ToList();

        var compact = JsonDocument.Parse(Ok("--json", "compact", "demo.ev").Stdout).RootElement;
        Assert.That(compact.GetProperty("rewritten_files").GetInt32(), Is.EqualTo(4));
        Assert.That(compact.GetProperty("added_files").GetInt32(), Is.EqualTo(2));
        Assert.That(Ok("scan", "demo.ev").Stdout.Split('\n').Order(StringComparer.Ordinal).ToList(), Is.EqualTo(before));

        var future = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var dry = JsonDocument.Parse(Ok("--json", "expire-snapshots", "demo.ev", "--older-than", future, "--dry-run").Stdout).RootElement;
        Assert.That(dry.GetProperty("expired_snapshot_ids").GetArrayLength(), Is.EqualTo(4));
        var expired = JsonDocument.Parse(Ok("--json", "expire-snapshots", "demo.ev", "--older-than", future).Stdout).RootElement;
        Assert.That(expired.GetProperty("deleted_data_files").GetArrayLength(), Is.EqualTo(4));
        foreach (var f in expired.GetProperty("deleted_data_files").EnumerateArray()) Assert.That(File.Exists(new Uri(f.GetString()!).LocalPath), Is.False);
        Assert.That(Ok("scan", "demo.ev").Stdout.Split('\n').Order(StringComparer.Ordinal).ToList(), Is.EqualTo(before));

        var orphan = Path.Combine(_warehouse, "demo", "ev", "data", "stray.parquet");
        File.WriteAllText(orphan, "x");
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddDays(-4));
        Assert.That(Ok("remove-orphans", "demo.ev", "--dry-run").Stdout, Does.Contain("stray.parquet"));
        Assert.That(File.Exists(orphan), Is.True);
        var removed = JsonDocument.Parse(Ok("--json", "remove-orphans", "demo.ev").Stdout).RootElement;
        Assert.That(removed.GetProperty("orphan_files").GetArrayLength(), Is.EqualTo(1));
        Assert.That(File.Exists(orphan), Is.False);
        Assert.That(Ok("scan", "demo.ev").Stdout.Split('\n').Order(StringComparer.Ordinal).ToList(), Is.EqualTo(before));
    }
}
