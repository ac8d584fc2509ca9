using System.Text.Json;
using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary>End-to-end runs of <c>floe training-set</c>.</summary>
[TestFixture]
[Category("Integration")]
public sealed class TrainingSetCliTests
{
    private string _dir = "";
    private string _warehouse = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-cli-ts-" + Guid.NewGuid().ToString("N"));
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

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void TrainingSet_TagAndMaxAge_JoinsThePinnedSnapshot()
    {
        Arrange.Table(_warehouse, "features.t", "entity_id:long,ts:timestamptz,v:double", "day(ts)");
        Arrange.Ingest(_warehouse, "features.t", Write("v1.csv", "entity_id,ts,v\n1,2024-01-01T10:00:00Z,1.5\n2,2024-01-01T11:00:00Z,2.5\n"));
        Arrange.Tag(_warehouse, "features.t", "v1");
        Arrange.Ingest(_warehouse, "features.t", Write("v2.csv", "entity_id,ts,v\n1,2024-01-01T10:00:00Z,150\n2,2024-01-01T11:00:00Z,250\n"), mode: Floe.Application.Ingest.IngestMode.OverwritePartitions);
        var spine = Write("spine.csv", "entity_id,ts,label\n2,2024-01-01T12:00:00Z,1\n1,2024-01-01T09:00:00Z,0\n1,2024-01-03T10:00:00Z,1\n");
        var output = Path.Combine(_dir, "out.csv");

        var json = JsonDocument.Parse(Ok("--json", "training-set", "--spine", spine, "--features", "features.t", "--tag", "v1", "--max-age", "1d", "--output", output).Stdout).RootElement;

        Assert.That(File.ReadAllLines(output), Is.EqualTo(new[]
        {
            "entity_id,ts,label,v",
            "2,2024-01-01T12:00:00Z,1,2.5",
            "1,2024-01-01T09:00:00Z,0,",
            "1,2024-01-03T10:00:00Z,1,",
        }));
        Assert.That(json.GetProperty("rows").GetInt64(), Is.EqualTo(3));
        var group = json.GetProperty("groups")[0];
        Assert.That(group.GetProperty("table").GetString(), Is.EqualTo("features.t"));
        Assert.That(group.GetProperty("matched").GetInt64(), Is.EqualTo(1));
        var tagged = JsonDocument.Parse(Ok("--json", "tag", "list", "features.t").Stdout).RootElement[0].GetProperty("snapshot_id").GetInt64();
        Assert.That(group.GetProperty("snapshot_id").GetInt64(), Is.EqualTo(tagged));
    }

    [Test]
    public void TrainingSet_SnapshotWithTwoGroups_ExitsWithInvalidArgument()
    {
        Arrange.Table(_warehouse, "features.t", "entity_id:long,ts:timestamptz,v:double", "day(ts)");
        var spine = Write("spine.csv", "entity_id,ts\n1,2024-01-01T12:00:00Z\n");
        var r = FloeProcess.Run(_warehouse, "training-set", "--spine", spine, "--features", "features.t", "--features", "features.t:v",
            "--snapshot", "1", "--output", Path.Combine(_dir, "o.parquet"));
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.StartWith("floe: error: --snapshot"));
    }
}
