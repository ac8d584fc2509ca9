using NUnit.Framework;
using Floe.Application.Backfill;
using Floe.Application.Backfill.Distributed;
using Floe.Application.Scanning;
using Floe.Core.Errors;

namespace Floe.Application.Tests.Backfill;

[TestFixture]
public sealed class DistributedBackfillTests
{
    private static BackfillRequest Request(BackfillFixture f, int from, int to, string? branch = null) =>
        new() { DefinitionPath = f.Definition, From = BackfillFixture.Day(from), To = BackfillFixture.Day(to), CodeVersion = "test", Branch = branch };

    [Test]
    public void PlanExecuteCommit_ThroughJson_EqualsTheSingleProcessBackfill()
    {
        using var f = new BackfillFixture();
        var service = new DistributedBackfill(f.W.Warehouse);

        var plan = BackfillPlan.Parse(service.Plan(Request(f, 0, 6, "dist")).ToJson(), "plan");
        Assert.That(plan.Tasks, Has.Count.EqualTo(6));
        var results = new List<BackfillTaskResult>();
        foreach (var task in plan.Tasks)
        {
            var json = BackfillTask.Parse(task.ToJson(), "task");
            if (json.Day == plan.From)
            {
                service.Execute(json); // a "crashed" first attempt: its files are never committed
            }
            results.Add(BackfillTaskResult.Parse(service.Execute(json).ToJson(), "result"));
        }
        var committed = service.Commit(plan, results);
        var single = f.Run(0, 6);

        Assert.That(f.TableRows(new ScanRequest { Ref = "dist" }), Is.EqualTo(f.TableRows()));
        Assert.That(committed.Rows, Is.EqualTo(single.Rows));
        Assert.That(f.Head("dist")!.SnapshotId, Is.EqualTo(committed.SnapshotId));
        var lineage = BackfillService.LineageOf(f.Head("dist")!);
        Assert.That(lineage[LineageKeys.DefinitionSha256], Is.EqualTo(single.Lineage[LineageKeys.DefinitionSha256]));
        Assert.That(lineage[LineageKeys.SourceSnapshotId], Is.EqualTo(single.Lineage[LineageKeys.SourceSnapshotId]));
        Assert.That(lineage[LineageKeys.CommitFrom], Is.EqualTo("2024-01-01"));
    }

    [Test]
    public void Commit_MissingDayOrForeignFile_IsRefusedAndCommitsNothing()
    {
        using var f = new BackfillFixture(rows: 600, days: 3);
        var service = new DistributedBackfill(f.W.Warehouse);
        var plan = service.Plan(Request(f, 0, 3));
        var results = plan.Tasks.Select(t => service.Execute(t)).ToList();

        var missing = Assert.Throws<FloeException>(() => service.Commit(plan, results.Take(2).ToList()));
        Assert.That(missing!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(missing.Message, Does.Contain("2024-01-03"));

        var forged = results[0] with { Files = [results[0].Files[0] with { FilePath = "/etc/passwd" }] };
        var foreign = Assert.Throws<FloeException>(() => service.Commit(plan, [forged, results[1], results[2]]));
        Assert.That(foreign!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(f.Head(), Is.Null, "nothing was committed");

        var duplicate = Assert.Throws<FloeException>(() => service.Commit(plan, [results[0], results[0], results[1], results[2]]));
        Assert.That(duplicate!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void Execute_DefinitionChangedSincePlan_IsInvalidData()
    {
        using var f = new BackfillFixture(rows: 600, days: 3);
        var service = new DistributedBackfill(f.W.Warehouse);
        var plan = service.Plan(Request(f, 0, 1));
        File.WriteAllText(f.Definition, BackfillFixture.Json.Replace("\"2d\"", "\"3d\"", StringComparison.Ordinal));

        var e = Assert.Throws<FloeException>(() => service.Execute(plan.Tasks[0]));

        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
    }

    [Test]
    public void Parse_NotAPlan_IsInvalidArgument()
    {
        Assert.That(Assert.Throws<FloeException>(() => BackfillPlan.Parse("{\"version\":1}", "plan"))!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(Assert.Throws<FloeException>(() => BackfillTask.Parse("{oops", "task"))!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }
}
