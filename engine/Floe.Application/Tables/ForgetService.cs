using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Application.Tables;

/// <summary>What forgetting an entity did (or would do, on a dry run) to one table.</summary>
/// <param name="Table">The table.</param>
/// <param name="SnapshotId">The delete snapshot, or null on a dry run or when no row matched.</param>
/// <param name="DeletedRows">Rows removed (on a dry run: rows that match).</param>
public sealed record ForgetTableResult(string Table, long? SnapshotId, long DeletedRows);

/// <summary>
/// Right-to-be-forgotten: deletes one entity's rows (<c>KEY = VALUE</c>) from every table whose current schema has
/// a top-level column KEY, one row-level delete snapshot per table carrying the reason in its summary. Tables are
/// processed one by one; a failure stops the run with the earlier tables already committed (rerunning is safe,
/// since tables with no matching row are left alone).
/// </summary>
public sealed class ForgetService
{
    /// <summary>Snapshot summary key holding the reason given for forgetting.</summary>
    public const string ReasonSummaryKey = "floe.forget.reason";

    /// <summary>Snapshot summary key holding the forgotten key column and value.</summary>
    public const string EntitySummaryKey = "floe.forget.entity";

    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public ForgetService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>As <see cref="Forget"/>, as a report that writes itself as text or JSON.</summary>
    public ForgetReport Report(string key, string value, IReadOnlyList<string>? tables = null, bool dryRun = false, string? reason = null) =>
        new(dryRun, Forget(key, value, tables, dryRun, reason));

    /// <summary>Forgets <paramref name="key"/> = <paramref name="value"/> in <paramref name="tables"/> (all tables when null).</summary>
    public IReadOnlyList<ForgetTableResult> Forget(string key, string value, IReadOnlyList<string>? tables = null, bool dryRun = false, string? reason = null)
    {
        if (string.IsNullOrWhiteSpace(key)) throw Errors.InvalidArgument("--entity needs KEY=VALUE with a non-empty KEY");
        var names = tables is { Count: > 0 } ? tables.Select(TableIdentifier.Parse).ToList() : _warehouse.Catalog.ListTables().ToList();
        var results = new List<ForgetTableResult>();
        foreach (var name in names)
        {
            var table = _warehouse.LoadTable(name);
            var column = table.Schema.Fields.FirstOrDefault(f => f.Name == key);
            if (column is null)
            {
                if (tables is { Count: > 0 }) throw Errors.InvalidArgument($"table '{name}' has no column '{key}'");
                continue;
            }
            var filter = ExpressionParser.Parse($"{key} = {Literal(column, value)}", table.Schema);
            if (dryRun)
            {
                var scan = new TableScan(table).Filter(filter);
                var (tasks, _) = scan.PlanFiles();
                long matching = 0;
                foreach (var batch in scan.ReadBatches(tasks)) matching += batch.Length;
                results.Add(new ForgetTableResult(name.ToString(), null, matching));
                continue;
            }
            var delete = new DeleteRows(table, filter).Set(EntitySummaryKey, $"{key}={value}");
            if (!string.IsNullOrEmpty(reason)) delete.Set(ReasonSummaryKey, reason);
            var result = delete.Execute();
            results.Add(new ForgetTableResult(name.ToString(), result.SnapshotId, result.DeletedRows));
        }
        return results;
    }

    /// <summary>The value as a filter literal: quoted for text and temporal columns, bare for numbers and booleans.</summary>
    private static string Literal(NestedField column, string value)
    {
        if (value.Contains('\'', StringComparison.Ordinal)) throw Errors.InvalidArgument($"--entity value for '{column.Name}' must not contain a single quote");
        return column.Type is PrimitiveType { Id: TypeId.Int or TypeId.Long or TypeId.Float or TypeId.Double or TypeId.Decimal or TypeId.Boolean }
            ? value
            : "'" + value + "'";
    }
}
