using System.Diagnostics;
using System.Text.Json;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Cli.Tests;

[TestFixture]
[Category("Integration")]
public sealed class BackfillCliTests
{
    private const string Definition = """
        {
          "name": "user_txn", "version": 1,
          "entity": ["entity_id"], "timestamp": "event_time",
          "source": {"files": ["events.csv"]},
          "features": [
            {"name": "txn_count_1h",  "agg": "count", "window": "1h"},
            {"name": "amount_sum_2d", "agg": "sum", "column": "amount", "window": "2d"},
            {"name": "amount_max_1d", "agg": "max", "column": "amount", "window": "1d"}
          ]
        }
        """;

    private string _dir = "";
    private string _warehouse = "";
    private string _def = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-cli-bf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _warehouse = Path.Combine(_dir, "wh");
        _def = Path.Combine(_dir, "def.json");
        File.WriteAllText(_def, Definition);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private FloeProcess.Result Ok(params string[] args)
    {
        var r = FloeProcess.Run(_warehouse, args);
        Assert.That(r.ExitCode, Is.EqualTo(0), $"floe {string.Join(' ', args)} failed: {r.Stderr}");
        return r;
    }

    private void Generate(int rows, int days) => Arrange.Events(Path.Combine(_dir, "events.csv"), rows, days);

    [Test]
    public void Backfill_Json_SummarisesTheCommitAndLineageShowsIt()
    {
        Generate(4000, 5);

        var result = JsonDocument.Parse(Ok("--json", "backfill", _def, "--from", "2024-01-02", "--to", "2024-01-05", "--code-version", "c0ffee").Stdout).RootElement;

        Assert.That(result.GetProperty("table").GetString(), Is.EqualTo("features.user_txn"));
        Assert.That(result.GetProperty("branch").GetString(), Is.EqualTo("main"));
        Assert.That(result.GetProperty("days").GetInt32(), Is.EqualTo(3));
        var rows = result.GetProperty("rows").GetInt64();
        Assert.That(rows, Is.EqualTo(2400));
        Assert.That(result.GetProperty("lineage").GetProperty("floe.code-version").GetString(), Is.EqualTo("c0ffee"));
        Assert.That(Ok("scan", "features.user_txn", "--count").Stdout.Trim(), Is.EqualTo("2400"));
        var lineage = JsonDocument.Parse(Ok("--json", "lineage", "features.user_txn").Stdout).RootElement;
        var partitions = lineage.GetProperty("partitions").EnumerateArray().ToList();
        Assert.That(partitions.Select(p => p.GetProperty("partition").GetString()), Is.EqualTo(new[] { "2024-01-02", "2024-01-03", "2024-01-04" }));
        Assert.That(partitions.Select(p => p.GetProperty("snapshot_id").GetInt64()), Is.All.EqualTo(result.GetProperty("snapshot_id").GetInt64()));
        Assert.That(partitions.Select(p => p.GetProperty("lineage").GetProperty("floe.definition.name").GetString()), Is.All.EqualTo("user_txn"));
        Assert.That(Ok("lineage", "features.user_txn").Stdout, Does.Contain("2024-01-03").And.Contain("c0ffee"));
    }

    [Test]
    public void BackfillPlan_TaskRunInSeparateProcesses_TasksCommit_EqualsOneProcessBackfill()
    {
        Generate(4000, 5);

        var planPath = Path.Combine(_dir, "plan.json");
        File.WriteAllText(planPath, Ok("backfill", _def, "--from", "2024-01-02", "--to", "2024-01-05", "--code-version", "c0ffee", "--branch", "dist", "--plan").Stdout);
        var tasks = JsonDocument.Parse(File.ReadAllText(planPath)).RootElement.GetProperty("tasks").EnumerateArray().ToList();
        Assert.That(tasks, Has.Count.EqualTo(3));
        var results = new List<string>();
        for (int i = 0; i < tasks.Count; i++)
        {
            var taskPath = Path.Combine(_dir, $"task{i}.json");
            File.WriteAllText(taskPath, tasks[i].GetRawText());
            var resultPath = Path.Combine(_dir, $"result{i}.json");
            Ok("task", "run", taskPath, "--output", resultPath);
            results.Add(resultPath);
        }
        Assert.That(Ok("scan", "features.user_txn", "--count").Stdout.Trim(), Is.EqualTo("0"), "task run commits nothing");

        var committed = JsonDocument.Parse(Ok(["--json", "tasks", "commit", planPath, .. results]).Stdout).RootElement;
        var single = JsonDocument.Parse(Ok("--json", "backfill", _def, "--from", "2024-01-02", "--to", "2024-01-05", "--code-version", "c0ffee").Stdout).RootElement;

        Assert.That(committed.GetProperty("branch").GetString(), Is.EqualTo("dist"));
        Assert.That(committed.GetProperty("rows").GetInt64(), Is.EqualTo(single.GetProperty("rows").GetInt64()));
        Assert.That(Ok("scan", "features.user_txn", "--ref", "dist", "--count").Stdout.Trim(), Is.EqualTo("2400"));
        var missing = FloeProcess.Run(_warehouse, "tasks", "commit", planPath, results[0]);
        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.Stderr);
        Assert.That(missing.Stderr, Does.Contain("no task result for 2024-01-03"));
    }

    [Test]
    public void Backfill_NotATerminal_PrintsLogLinesAndASummary()
    {
        Generate(2000, 4);

        var text = Ok("backfill", _def, "--from", "2024-01-01", "--to", "2024-01-04", "--commit-every", "2", "--max-memory", "512m", "--code-version", "x").Stdout;

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(text, Does.Not.Contain("\r"));
        Assert.That(lines.Count(l => l.StartsWith("backfill: ", StringComparison.Ordinal) && l.Contains("committed snapshot", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(lines.Single(l => l.StartsWith("backfilled ", StringComparison.Ordinal)), Does.Contain("3 days").And.Contain("1500 rows"));
    }

    [Test]
    public void Backfill_Wap_LeavesMainWithoutSnapshots()
    {
        Generate(2000, 4);

        var result = JsonDocument.Parse(Ok("--json", "backfill", _def, "--from", "2024-01-01", "--to", "2024-01-03", "--wap").Stdout).RootElement;

        Assert.That(result.GetProperty("branch").GetString(), Is.EqualTo("wap-user_txn"));
        Assert.That(Ok("scan", "features.user_txn", "--ref", "wap-user_txn", "--count").Stdout.Trim(), Is.EqualTo("1000"));
        var main = FloeProcess.Run(_warehouse, "lineage", "features.user_txn");
        Assert.That(main.ExitCode, Is.EqualTo(3), main.Stderr);
        Assert.That(Ok("--json", "lineage", "features.user_txn", "--ref", "wap-user_txn").Stdout, Does.Contain("\"2024-01-02\""));
    }

    [Test]
    public void Backfill_BadRange_FailsWithOneLine()
    {
        Generate(100, 2);
        var r = FloeProcess.Run(_warehouse, "backfill", _def, "--from", "2024-01-02", "--to", "2024-01-01");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(r.Stderr, Does.StartWith("floe: error: --to"));
    }

    /// <summary>
    /// A run killed with SIGKILL part-way leaves main at a committed snapshot (the previous one, or a whole chunk of the
    /// new run: never part of one), and rerunning converges to the content of a clean run.
    /// </summary>
    [Test]
    [Category(TestTier.Stress)]
    public void Backfill_KilledMidRun_LeavesNoPartialCommitAndTheRerunConverges()
    {
        Generate(300_000, 20);
        var baseline = JsonDocument.Parse(Ok("--json", "backfill", _def, "--from", "2024-01-01", "--to", "2024-01-21", "--code-version", "v1").Stdout).RootElement;
        var baselineSnapshot = baseline.GetProperty("snapshot_id").GetInt64();
        var baselineRows = Ok("scan", "features.user_txn", "--count").Stdout.Trim();

        var killedAfter = KillAfterFirstCommit("backfill", _def, "--from", "2024-01-01", "--to", "2024-01-21", "--code-version", "v2", "--commit-every", "5");

        var afterKill = Lineage();
        var head = JsonDocument.Parse(Ok("--json", "table", "show", "features.user_txn").Stdout).RootElement.GetProperty("current_snapshot_id").GetInt64();
        Assert.That(Ok("scan", "features.user_txn", "--count").Stdout.Trim(), Is.EqualTo(baselineRows));
        // Each chunk is all v2 or all v1: a v2 day is always part of a whole committed chunk.
        var v2Days = afterKill.Where(p => p.Code == "v2").Select(p => p.Day).ToList();
        Assert.That(v2Days.Count % 5, Is.EqualTo(0), $"killed after '{killedAfter}': v2 days {string.Join(",", v2Days)}");
        if (head == baselineSnapshot) Assert.That(v2Days, Is.Empty);
        TestContext.Out.WriteLine($"killed after '{killedAfter}'; {v2Days.Count} of 20 days committed by the killed run");

        var rerun = JsonDocument.Parse(Ok("--json", "backfill", _def, "--from", "2024-01-01", "--to", "2024-01-21", "--code-version", "v2", "--commit-every", "5").Stdout).RootElement;

        Assert.That(Ok("scan", "features.user_txn", "--count").Stdout.Trim(), Is.EqualTo(baselineRows));
        var final = Lineage();
        Assert.That(final, Has.Count.EqualTo(20));
        Assert.That(final.Select(p => p.Code), Is.All.EqualTo("v2"));
        // An unfinished run is resumed after its last chunk; a finished one (or none) is redone whole.
        var resumed = v2Days.Count is > 0 and < 20;
        Assert.That(rerun.GetProperty("days").GetInt32(), Is.EqualTo(resumed ? 20 - v2Days.Count : 20));
        Assert.That(rerun.GetProperty("resumed_from").ValueKind, Is.EqualTo(resumed ? JsonValueKind.String : JsonValueKind.Null));
    }

    private List<(string Day, string Code)> Lineage() =>
        JsonDocument.Parse(Ok("--json", "lineage", "features.user_txn").Stdout).RootElement.GetProperty("partitions").EnumerateArray()
            .Select(p => (p.GetProperty("partition").GetString()!, p.GetProperty("lineage").GetProperty("floe.code-version").GetString()!))
            .ToList();

    /// <summary>Starts floe, waits for the progress line of its first commit, and kills it with SIGKILL; returns that line.</summary>
    private string KillAfterFirstCommit(params string[] args)
    {
        var start = FloeProcess.StartInfo(_warehouse, args);
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        string? line;
        string seen = "(exited first)";
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith("backfill: ", StringComparison.Ordinal) && line.Contains("committed snapshot", StringComparison.Ordinal))
            {
                seen = line;
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        process.WaitForExit();
        return seen;
    }
}
