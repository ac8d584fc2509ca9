using System.Diagnostics;
using Floe.Application.Features;
using Floe.Core.Errors;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;

namespace Floe.Application.Backfill.Distributed;

/// <summary>
/// The distributed form of <see cref="BackfillService"/>: <see cref="Plan"/> splits a backfill into one task per day
/// (the driver; it creates the feature table and pins the source snapshot), <see cref="Execute"/> runs one task in
/// any process (it writes data files and commits nothing), and <see cref="Commit"/> commits every task's files as
/// one dynamic partition overwrite of the planned days, with the plan's lineage. A task that crashed is simply run
/// again; files of runs that are not committed are never referenced by a snapshot.
/// </summary>
public sealed class DistributedBackfill
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public DistributedBackfill(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Plans <paramref name="request"/> (its commit-every, memory and resume settings do not apply).</summary>
    /// <exception cref="FloeException">As <see cref="BackfillService.Run"/> for the range, definition and table.</exception>
    public BackfillPlan Plan(BackfillRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (fromDay, toDay) = BackfillService.Days(request);
        var definitionPath = Path.GetFullPath(request.DefinitionPath);
        var definition = DefinitionFiles.Parse(definitionPath);
        var branch = request.Wap ? request.Branch ?? "wap-" + definition.Name : request.Branch ?? SnapshotRef.MainBranch;
        if (request.Wap && branch == SnapshotRef.MainBranch) throw Errors.InvalidArgument("--wap never writes to main; name a staging branch");
        string? sourceTable = null;
        long? sourceSnapshot = null;
        var source = FeatureFiles.OpenDefinitionSource(definition, definitionPath, request.Source, name =>
        {
            var table = _warehouse.LoadTable(TableIdentifier.Parse(name));
            sourceTable = table.Identifier.ToString();
            sourceSnapshot = table.Metadata.CurrentSnapshotId;
            return new IcebergEventSource(table, sourceSnapshot);
        });
        var lineage = BackfillService.Lineage(request with { DefinitionPath = definitionPath }, definition, fromDay, toDay, sourceTable, sourceSnapshot);
        var (output, _) = new BackfillService(_warehouse).OpenOutputTable(definition, source);
        var sha = lineage[LineageKeys.DefinitionSha256];
        var tasks = new List<BackfillTask>(toDay.DayNumber - fromDay.DayNumber);
        for (var day = fromDay; day < toDay; day = day.AddDays(1))
        {
            tasks.Add(new BackfillTask(output.Identifier.ToString(), definitionPath, sha, request.Source, sourceSnapshot, day));
        }
        return new BackfillPlan(output.Identifier.ToString(), branch, fromDay, toDay, lineage, tasks);
    }

    /// <summary>Computes one task's day into new data files of the feature table; commits nothing.</summary>
    /// <exception cref="FloeException">InvalidData when the definition changed since the plan; as a backfill otherwise.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the files written so far are deleted.</exception>
    public BackfillTaskResult Execute(BackfillTask task, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (DefinitionFiles.Sha256(task.DefinitionPath) != task.DefinitionSha256)
        {
            throw Errors.InvalidData($"definition '{task.DefinitionPath}' changed since the backfill was planned; plan again");
        }
        var definition = DefinitionFiles.Parse(task.DefinitionPath);
        var source = FeatureFiles.OpenDefinitionSource(definition, task.DefinitionPath, task.Source,
            name => new IcebergEventSource(_warehouse.LoadTable(TableIdentifier.Parse(name)), task.SourceSnapshotId));
        var table = _warehouse.LoadTable(TableIdentifier.Parse(task.Table));
        var rowGroupBytes = ParquetWriterOptions.FromTableProperties(table.Metadata.Properties).RowGroupBytes;
        var budget = MemoryBudget.For(0, rowGroupBytes);
        var options = ParquetWriterOptions.FromTableProperties(table.Metadata.Properties) with { RowGroupBytes = budget.RowGroupBytes };
        long rows = 0;
        var sink = new FeatureTableSink(table, options, (_, dayRows) => Interlocked.Add(ref rows, dayRows), cancellation);
        try
        {
            var computed = FeatureComputation.Compute(definition, source, BackfillService.Midnight(task.Day), BackfillService.Midnight(task.Day.AddDays(1)),
                sink, budget.Parallelism, cancellation);
            cancellation.ThrowIfCancellationRequested();
            return new BackfillTaskResult(task.Table, task.Day, rows, computed.EventsRead, sink.Files.ToList());
        }
        catch
        {
            sink.Abort();
            throw;
        }
    }

    /// <summary>
    /// Commits the results of every task of <paramref name="plan"/> as one snapshot on the plan's branch: each planned
    /// day is replaced by its task's files (a day without rows ends up empty), other days are untouched.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument when a day has no result or two, a result is not of the plan,
    /// or a file lies outside the table; CommitConflict when a concurrent writer replaced the same days.</exception>
    public BackfillResult Commit(BackfillPlan plan, IReadOnlyList<BackfillTaskResult> results)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(results);
        var started = Stopwatch.StartNew();
        var table = _warehouse.LoadTable(TableIdentifier.Parse(plan.Table));
        var byDay = new Dictionary<DateOnly, BackfillTaskResult>();
        foreach (var result in results)
        {
            if (result.Table != plan.Table) throw Errors.InvalidArgument($"a task result is for table '{result.Table}', the plan for '{plan.Table}'");
            if (result.Day < plan.From || result.Day >= plan.To) throw Errors.InvalidArgument($"a task result is for {BackfillService.Iso(result.Day)}, outside the plan's days");
            if (!byDay.TryAdd(result.Day, result)) throw Errors.InvalidArgument($"two task results for {BackfillService.Iso(result.Day)}; pass one per day");
        }
        var location = table.Metadata.Location.TrimEnd('/') + "/";
        var overwrite = new DynamicPartitionOverwrite(table);
        long rows = 0, events = 0;
        int files = 0;
        for (var day = plan.From; day < plan.To; day = day.AddDays(1))
        {
            if (!byDay.TryGetValue(day, out var result)) throw Errors.InvalidArgument($"no task result for {BackfillService.Iso(day)}; run its task and commit again");
            var partition = FeatureTableSink.PartitionOf(day);
            foreach (var file in result.Files)
            {
                // A result is caller input: it may only reference files of this table, of its day.
                if (!file.FilePath.StartsWith(location, StringComparison.Ordinal) || file.FilePath.Contains("/../", StringComparison.Ordinal))
                {
                    throw Errors.InvalidArgument($"task result for {BackfillService.Iso(day)} names '{file.FilePath}', which is not under table '{plan.Table}'");
                }
                if (!file.Partition.Equals(partition) || file.SpecId != table.Spec.SpecId)
                {
                    throw Errors.InvalidArgument($"task result for {BackfillService.Iso(day)} names '{file.FilePath}' of another partition");
                }
                overwrite.AddFile(file);
                files++;
            }
            overwrite.ReplacePartition(table.Spec.SpecId, partition);
            rows += result.Rows;
            events += result.EventsRead;
        }
        overwrite.ToBranch(plan.Branch);
        var properties = new Dictionary<string, string>(plan.Lineage, StringComparer.Ordinal)
        {
            [LineageKeys.CommitFrom] = BackfillService.Iso(plan.From),
            [LineageKeys.CommitTo] = BackfillService.Iso(plan.To),
        };
        foreach (var (k, v) in properties) overwrite.Set(k, v);
        var snapshot = overwrite.Commit();
        return new BackfillResult(plan.Table, plan.Branch, snapshot.SnapshotId, [snapshot.SnapshotId], false, plan.From, plan.To, null,
            plan.To.DayNumber - plan.From.DayNumber, rows, files, events, started.Elapsed, properties);
    }
}
