using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary>
/// <c>floe stream</c> killed with SIGKILL at random moments, again and again, then run to the end: the raw table and
/// the Redis values equal those of a run that was never killed. Needs the redis-server <c>.ci/run</c> starts.
/// </summary>
[TestFixture]
public sealed class StreamKillCliTests
{
    private const string Definition = """
        {"name": "user_txn", "version": 1, "entity": "entity_id", "timestamp": "event_time",
         "source": {"table": "demo.events"},
         "features": [{"name": "n_1h", "agg": "count", "window": "1h"}, {"name": "sum_1d", "agg": "sum", "column": "amount", "window": "1d"}]}
        """;

    // Enough that even the NativeAOT binary is still streaming when it is killed.
    private const int Events = 80_000;

    private string _dir = null!;
    private string _redis = null!;

    [SetUp]
    public void SetUp()
    {
        var url = Environment.GetEnvironmentVariable("FLOE_REDIS_URL");
        if (string.IsNullOrEmpty(url))
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail("FLOE_REDIS_URL is not set: .ci/run must start redis-server");
            Assert.Ignore("FLOE_REDIS_URL is not set");
        }
        _redis = url!;
        _dir = Path.Combine(Path.GetTempPath(), "floe-streamkill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "def.json"), Definition);
        var random = new Random(12);
        var start = new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero);
        File.WriteAllLines(Path.Combine(_dir, "events.jsonl"), Enumerable.Range(0, Events).Select(i =>
            $"{{\"entity_id\": {random.Next(40)}, \"event_time\": \"{start.AddSeconds(i * 2):yyyy-MM-ddTHH:mm:ssZ}\", \"amount\": {random.Next(1, 10_000) / 100.0}}}"));
    }

    [TearDown]
    public void TearDown()
    {
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string[] StreamArgs(string prefix) =>
        ["--redis", _redis, "--redis-prefix", prefix, "stream", Path.Combine(_dir, "def.json"), "--source", Path.Combine(_dir, "events.jsonl"),
         "--commit-every-events", "2000", "--lateness", "1m"];

    private string Prepare(string name)
    {
        var warehouse = Path.Combine(_dir, name);
        var created = FloeProcess.Run(warehouse, "table", "create", "demo.events", "--schema", "entity_id:long not null,event_time:timestamptz not null,amount:double", "--partition", "day(event_time)");
        Assert.That(created.ExitCode, Is.Zero, created.Stderr);
        return warehouse;
    }

    private static string Ok(string warehouse, params string[] args)
    {
        var r = FloeProcess.Run(warehouse, args);
        Assert.That(r.ExitCode, Is.Zero, $"floe {string.Join(' ', args)}: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>The raw table's rows, sorted, and each entity's online features and feature time.</summary>
    private (List<string> Rows, List<string> Online) State(string warehouse, string prefix)
    {
        var rows = Ok(warehouse, "scan", "demo.events").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        var entities = Enumerable.Range(0, 40).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var r = FloeProcess.Run(warehouse, ["--json", "--redis", _redis, "--redis-prefix", prefix, "get", Path.Combine(_dir, "def.json"), .. entities]);
        var online = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray()
            .Select(e => $"{e.GetProperty("entity").GetString()} {(e.TryGetProperty("feature_time", out var t) ? t.GetString() : "-")} {e.GetProperty("features").GetRawText()}")
            .ToList();
        return (rows, online);
    }

    [Test]
    [Category(TestTier.Stress)]
    public void KilledTwoDozenTimes_ThenFinished_EqualsARunNeverKilled()
    {
        var clean = Prepare("clean");
        var cleanPrefix = "k" + Guid.NewGuid().ToString("N")[..10];
        var timer = Stopwatch.StartNew();
        Ok(clean, StreamArgs(cleanPrefix));
        // Kill moments are spread over a clean run's own duration, so they land mid-run for the JIT build and the
        // much faster NativeAOT binary alike.
        var cleanMs = (int)timer.ElapsedMilliseconds;
        var expected = State(clean, cleanPrefix);
        Assert.That(expected.Rows, Has.Count.EqualTo(Events + 1), "header + every event");

        var killed = Prepare("killed");
        var prefix = "k" + Guid.NewGuid().ToString("N")[..10];
        var random = new Random(99);
        int killedMidRun = 0;
        // Each restart resumes after the last commit, so later runs are shorter; attempts go on until enough runs
        // were killed part-way (a loaded machine stretches the clean run and so the waits), at most 60.
        for (int attempt = 0; attempt < 60 && killedMidRun < 12; attempt++)
        {
            using var process = Process.Start(FloeProcess.StartInfo(killed, StreamArgs(prefix)))!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(random.Next(Math.Max(10, cleanMs / 40), Math.Max(20, cleanMs / 5))))
            {
                process.Kill(entireProcessTree: true);
                killedMidRun++;
            }
            process.WaitForExit();
        }
        Ok(killed, StreamArgs(prefix));

        Assert.That(killedMidRun, Is.GreaterThanOrEqualTo(12), "runs killed part-way");
        var actual = State(killed, prefix);
        Assert.That(actual.Rows, Is.EqualTo(expected.Rows), "no event lost or stored twice");
        Assert.That(actual.Online, Is.EqualTo(expected.Online), "the same online values");
    }
}
