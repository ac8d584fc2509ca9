using Floe.Core.Errors;
using Floe.Formats.Output;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;

namespace Floe.Application.Scanning;

/// <summary>Reads tables: resolves the snapshot, parses the filter against the table schema, streams batches to a sink.</summary>
public sealed class ScanService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public ScanService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Builds the scan a request describes.</summary>
    public TableScan Prepare(string tableName, ScanRequest request)
    {
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        var selectors = (request.SnapshotId is null ? 0 : 1) + (request.Ref is null ? 0 : 1) + (request.AsOf is null ? 0 : 1);
        if (selectors > 1) throw Errors.InvalidArgument("give at most one of --snapshot, --ref and --as-of");
        var scan = new TableScan(table);
        if (request.SnapshotId is { } id) scan = scan.UseSnapshot(id);
        if (request.Ref is { } name) scan = scan.UseRef(name);
        if (request.AsOf is { } asOf) scan = scan.AsOf(SnapshotSelector.ParseTimestampMs(asOf));
        if (!string.IsNullOrWhiteSpace(request.Filter)) scan = scan.Filter(ExpressionParser.Parse(request.Filter, scan.TableSchema));
        if (request.Columns is { Count: > 0 } columns) scan = scan.Select(columns);
        if (request.Threads is { } threads) scan = scan.WithThreads(threads);
        return scan;
    }

    /// <summary>Streams the rows to <paramref name="sink"/>.</summary>
    public ScanResult Scan(string tableName, ScanRequest request, IBatchSink sink)
    {
        var scan = Prepare(tableName, request);
        var (tasks, metrics) = scan.PlanFiles();
        sink.Begin(scan.ProjectedSchema);
        long rows = 0;
        foreach (var batch in scan.ReadBatches(tasks))
        {
            sink.Write(batch);
            rows += batch.Length;
        }
        sink.Complete();
        return new ScanResult(rows, scan.Snapshot?.SnapshotId, metrics);
    }

    /// <summary>
    /// Counts the rows. Without a filter and without applicable delete files the count comes from the manifests'
    /// record counts and no data file is opened.
    /// </summary>
    public ScanResult Count(string tableName, ScanRequest request)
    {
        var scan = Prepare(tableName, request);
        var (tasks, metrics) = scan.PlanFiles();
        if (scan.FilterExpression is AlwaysTrue && tasks.All(t => t.Deletes.Count == 0))
        {
            return new ScanResult(tasks.Sum(t => t.File.RecordCount), scan.Snapshot?.SnapshotId, metrics);
        }
        return new ScanResult(scan.CountRows(tasks), scan.Snapshot?.SnapshotId, metrics);
    }

    /// <summary>
    /// Computes ungrouped aggregates over the rows the request selects (its columns are ignored), from statistics
    /// wherever they prove the answer (see <see cref="TableScan.Aggregate"/>); <paramref name="useStatistics"/> false
    /// decodes every value instead.
    /// </summary>
    /// <exception cref="Floe.Core.Errors.FloeException">InvalidArgument for an unknown column, Unsupported for an aggregate
    /// the column's type does not have.</exception>
    public AggregateResult Aggregate(string tableName, ScanRequest request, IReadOnlyList<AggregateCall> calls, bool useStatistics = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scan = Prepare(tableName, request with { Columns = null });
        var (tasks, metrics) = scan.PlanFiles();
        return new AggregateResult(scan.Aggregate(tasks, calls, useStatistics), scan.Snapshot?.SnapshotId, metrics);
    }
}
