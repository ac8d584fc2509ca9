using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Floe.Stress.Tests;

/// <summary>
/// Several floe processes commit to one table at once, mixing appends with dynamic partition overwrites of days
/// that overlap between writers (three shared days) and days each writer owns alone. Afterwards every commit must
/// be accounted for: a success is in the history, a rejection is a real serializable conflict, and replaying the
/// successes in commit order gives exactly the rows of the table.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed partial class ConcurrentCommitTests
{
    private const int SharedDays = 3;

    [TestCase("sqlite")]
    [TestCase("postgresql")]
    public void Ingest_ConcurrentProcessesMixingAppendsAndOverwrites_EveryCommitAccountedForNoRowLostOrDuplicated(string catalogKind)
    {
        // The same processes, as if on several machines, through one PostgreSQL catalog (the JDBC layout): the
        // compare-and-swap is then PostgreSQL's, and the outcome must be the same.
        var catalog = catalogKind == "postgresql" ? PostgresCatalogUri() : null;
        var cli = FloeCli.Locate().WithCatalog(catalog);
        var writers = StressSettings.Writers;
        var commits = StressSettings.CommitsPerWriter(cli);
        TestContext.Out.WriteLine($"{writers} writers x {commits} commits with {cli.Description}, seed {StressSettings.Seed}");
        using var temp = new TempDirectory("floe-stress");
        var warehouse = Path.Combine(temp.Path, "warehouse");
        // Appends and disjoint overwrites must always land, however long the queue: retry (almost) forever.
        EventTable.Create(cli, warehouse, "commit.retry.num-retries=100000", "commit.retry.min-wait-ms=5", "commit.retry.max-wait-ms=250");

        var plans = Plan(writers, commits, temp.Path);
        var outcomes = new CliResult[writers][];
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            outcomes[w] = plans[w].Select(op => cli.Run(warehouse, op.Arguments)).ToArray();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        TestContext.Out.WriteLine($"{writers * commits} ingests in {clock.Elapsed.TotalSeconds:F1} s");

        var committed = new Dictionary<long, PlannedOperation>();
        var rejected = new List<(PlannedOperation Op, CliResult Result)>();
        for (var w = 0; w < writers; w++)
        {
            for (var i = 0; i < commits; i++)
            {
                var (op, result) = (plans[w][i], outcomes[w][i]);
                switch (result.ExitCode)
                {
                    case 0:
                        using (var json = JsonDocument.Parse(result.Stdout))
                        {
                            Assert.That(committed.TryAdd(json.RootElement.GetProperty("snapshot_id").GetInt64(), op), Is.True, $"{op}: snapshot id printed twice");
                        }
                        break;
                    case 6:
                        rejected.Add((op, result));
                        break;
                    default:
                        Assert.Fail($"{op}: exit {result.ExitCode} (only 0 or 6 = commit conflict are acceptable): {result.Stderr}");
                        break;
                }
            }
        }

        using var history = JsonDocument.Parse(cli.RunOk(warehouse, "--json", "snapshots", EventTable.Name));
        var snapshots = history.RootElement.EnumerateArray()
            .Select(s => (
                Id: s.GetProperty("snapshot_id").GetInt64(),
                Parent: s.GetProperty("parent_snapshot_id").ValueKind == JsonValueKind.Null ? (long?)null : s.GetProperty("parent_snapshot_id").GetInt64(),
                Sequence: s.GetProperty("sequence_number").GetInt64(),
                Operation: s.GetProperty("operation").GetString(),
                TotalRecords: long.Parse(s.GetProperty("summary").GetProperty("total-records").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(s => s.Sequence)
            .ToList();
        TestContext.Out.WriteLine($"{committed.Count} committed ({committed.Values.Count(o => o.Overwrite)} overwrites), {rejected.Count} rejected, {snapshots.Count} snapshots");

        // Every success is in the history and the history holds nothing else; it is one linear chain.
        Assert.That(snapshots.Select(s => s.Id), Is.EquivalentTo(committed.Keys), "snapshot ids printed by ingest vs floe snapshots");
        for (var k = 0; k < snapshots.Count; k++)
        {
            Assert.That(snapshots[k].Sequence, Is.EqualTo(k + 1), "sequence numbers are 1..N without gaps");
            Assert.That(snapshots[k].Parent, Is.EqualTo(k == 0 ? (long?)null : snapshots[k - 1].Id), $"parent of snapshot {snapshots[k].Id}");
        }

        // Every rejection is an overwrite that lost to a commit touching one of its partitions.
        foreach (var (op, result) in rejected)
        {
            Assert.That(op.Overwrite, Is.True, $"{op} was rejected but appends never conflict: {result.Stderr}");
            var match = ConflictMessage().Match(result.Stderr);
            Assert.That(match.Success, Is.True, $"{op}: exit 6 without a serializable-validation message: {result.Stderr}");
            var winner = long.Parse(match.Groups["snapshot"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var day = int.Parse(match.Groups["day"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(committed.TryGetValue(winner, out var winnerOp), Is.True, $"{op}: conflicting snapshot {winner} is not a committed ingest");
            Assert.That(op.Days, Does.Contain(day), $"{op}: conflict on day {day}, which it does not overwrite");
            Assert.That(winnerOp!.Days, Does.Contain(day), $"{op}: winner {winnerOp} did not touch day {day}");
        }

        // Replaying the commits in sequence order predicts each snapshot's row count and the final rows exactly.
        var model = new TableModel();
        var sampled = new List<(long Snapshot, List<string> Keys)>();
        for (var k = 0; k < snapshots.Count; k++)
        {
            var op = committed[snapshots[k].Id];
            model.Apply(op.Overwrite, op.Rows);
            Assert.That(snapshots[k].Operation, Is.EqualTo(op.Overwrite ? "overwrite" : "append"), op.ToString());
            Assert.That(snapshots[k].TotalRecords, Is.EqualTo(model.Count), $"total-records of snapshot {snapshots[k].Id} ({op})");
            if (k % 10 == 5) sampled.Add((snapshots[k].Id, model.Keys.ToList()));
        }
        EventTable.AssertSameRows(model.Keys, EventTable.KeysOfJsonLines(cli.RunOk(warehouse, "scan", EventTable.Name, "--format", "json")), "floe scan after all commits");
        foreach (var (snapshot, keys) in sampled)
        {
            EventTable.AssertSameRows(keys, EventTable.ReadKeys(warehouse, snapshot, catalog), $"time travel to snapshot {snapshot}");
        }
        Assert.That(committed.Values.Count(o => !o.Overwrite), Is.EqualTo(plans.Sum(p => p.Count(o => !o.Overwrite))), "every append committed");

        // Retried and rejected commits clean up after themselves: every data file, manifest and manifest list on
        // disk is referenced. Only metadata files that aged out of the metadata log may be unreferenced.
        var tableDirectory = Path.Combine(warehouse, "stress", "events");
        var referenced = TableFiles.Referenced(warehouse, catalog);
        Assert.That(referenced.Where(f => !File.Exists(f)), Is.Empty, "referenced files missing");
        var leaked = TableFiles.OnDisk(tableDirectory).Except(referenced).Where(f => TableFiles.KindOf(f) != "metadata").ToList();
        Assert.That(leaked, Is.Empty, "files of retried or rejected commits left behind");
    }

    /// <summary>A catalog of its own on the PostgreSQL server <c>.ci/run</c> starts (<c>FLOE_POSTGRES_URL</c>); missing in CI is a failure.</summary>
    private static string PostgresCatalogUri()
    {
        var url = Environment.GetEnvironmentVariable("FLOE_POSTGRES_URL");
        if (string.IsNullOrEmpty(url))
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail("FLOE_POSTGRES_URL is not set: .ci/run must start PostgreSQL");
            Assert.Ignore("FLOE_POSTGRES_URL is not set (run through .ci/run, which starts PostgreSQL)");
        }
        return url + (url!.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "catalog=stress" + Guid.NewGuid().ToString("N");
    }

    /// <summary>
    /// Plans each writer's operations: about 40% overwrites; each touches one or two days drawn from the shared days
    /// and the writer's own day, with 5 to 30 rows whose ids are unique across the whole test.
    /// </summary>
    private static List<PlannedOperation>[] Plan(int writers, int commits, string folder)
    {
        var random = new Random(StressSettings.Seed);
        var plans = new List<PlannedOperation>[writers];
        for (var w = 0; w < writers; w++)
        {
            plans[w] = new List<PlannedOperation>(commits);
            for (var i = 0; i < commits; i++)
            {
                var choices = Enumerable.Range(0, SharedDays).Append(SharedDays + w).ToList();
                var days = choices.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToList();
                var overwrite = random.NextDouble() < 0.4;
                var firstId = (w + 1) * 1_000_000L + i * 1_000L;
                plans[w].Add(PlannedOperation.Create(w, i, overwrite, firstId, random.Next(5, 31), days, Path.Combine(folder, $"w{w}-op{i}.csv")));
            }
        }
        return plans;
    }

    [GeneratedRegex(@"\[validation\] snapshot (?<snapshot>\d+) \(\w+\) changed partition \((?<day>-?\d+)\)")]
    private static partial Regex ConflictMessage();
}
