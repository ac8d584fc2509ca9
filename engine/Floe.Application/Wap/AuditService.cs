using System.Globalization;
using System.Security.Cryptography;
using Apache.Arrow;
using Floe.Application.TrainingSets;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.Wap;

/// <summary>
/// The audit of write-audit-publish: compares the snapshot at the head of a staging branch with main, partition by
/// partition (the day partitions whose data files differ), and checks row counts, null rates, uniqueness of
/// (entity, feature time) and the distribution of every numeric column (PSI and Kolmogorov–Smirnov over a seeded
/// sample). The result is stored with the table, bound to the snapshot id it checked: a JSON file under the table's
/// <c>audits/</c> folder and the table property <c>floe.audit.&lt;snapshot-id&gt;</c> = <c>passed|failed;sha256=…;file=…</c>
/// (a metadata-only commit: no branch moves). <see cref="PublishService"/> publishes only a snapshot with a passed audit.
/// </summary>
public sealed class AuditService
{
    /// <summary>The table property prefix under which audit verdicts are stored.</summary>
    public const string PropertyPrefix = "floe.audit.";

    /// <summary>Values kept per column and side for the distribution checks (a seeded reservoir sample).</summary>
    public const int SampleSize = 200_000;

    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over <paramref name="warehouse"/>.</summary>
    public AuditService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Audits the head of <paramref name="branch"/> of <paramref name="tableName"/> against main and stores the result.</summary>
    /// <param name="tableName">The table.</param>
    /// <param name="branch">The staging branch.</param>
    /// <param name="rules">Thresholds (defaults when null).</param>
    /// <param name="keyColumns">The entity columns of the uniqueness check (default: the table's <c>floe.entity</c> property).</param>
    public AuditResult Audit(string tableName, string branch, AuditRules? rules = null, IReadOnlyList<string>? keyColumns = null)
    {
        rules ??= new AuditRules();
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        var metadata = table.Metadata;
        if (branch == SnapshotRef.MainBranch) throw Errors.InvalidArgument("audit a staging branch against main, not main itself");
        if (!metadata.Refs.TryGetValue(branch, out var stagedRef) || stagedRef.Type != SnapshotRefType.Branch)
        {
            throw Errors.NotFound($"table '{tableName}' has no branch '{branch}'");
        }
        long stagedId = stagedRef.SnapshotId;
        long? mainId = metadata.CurrentSnapshotId;
        var schema = metadata.CurrentSchema;
        string? timeColumn = TimeColumn(table);
        string[] keys = keyColumns?.ToArray() ?? (metadata.Properties.TryGetValue(FeatureGroupResolver.EntityProperty, out var e) ? e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : []);
        foreach (var key in keys)
        {
            if (schema.FindField(key) is null) throw Errors.InvalidArgument($"key column '{key}' is not in table '{tableName}'");
        }
        var numeric = schema.Fields
            .Where(f => f.Type is PrimitiveType { Id: TypeId.Int or TypeId.Long or TypeId.Float or TypeId.Double } && !keys.Contains(f.Name) && f.Name != timeColumn)
            .Select(f => f.Name)
            .ToArray();

        var stagedTasks = Plan(table, stagedId);
        var mainTasks = mainId is { } m ? Plan(table, m) : [];
        int dayField = DayPartitionField(table, timeColumn);
        var stagedDays = FilesByDay(stagedTasks, dayField);
        var mainDays = FilesByDay(mainTasks, dayField);
        var partitions = new List<PartitionAudit>();
        var changed = new HashSet<long>();
        foreach (var day in stagedDays.Keys.Union(mainDays.Keys).Order())
        {
            stagedDays.TryGetValue(day, out var s);
            mainDays.TryGetValue(day, out var mm);
            bool differs = s is null || mm is null || !s.Paths.SetEquals(mm.Paths);
            if (differs) changed.Add(day);
            if (day != long.MinValue) partitions.Add(new PartitionAudit(DateOnly.FromDayNumber((int)(day + 719162)), mm?.Rows ?? 0, s?.Rows ?? 0, differs));
        }

        var checks = new List<AuditCheck>();
        foreach (var p in partitions)
        {
            if (!p.Changed || p.MainRows == 0) continue;
            double change = Math.Abs(p.StagedRows - p.MainRows) / (double)p.MainRows;
            checks.Add(new AuditCheck("row_count_change", p.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), change, rules.RowCountChangeMax, change <= rules.RowCountChangeMax,
                $"rows {p.MainRows} -> {p.StagedRows} ({(p.StagedRows - p.MainRows) * 100.0 / p.MainRows:+0.#;-0.#;0}%)"));
        }

        // Staging's changed partitions against the same partitions of main, or all of main when it has none of them.
        var stagedRead = stagedTasks.Where(t => changed.Contains(DayOf(t, dayField))).ToList();
        var mainRead = mainTasks.Where(t => changed.Contains(DayOf(t, dayField))).ToList();
        if (mainRead.Count == 0) mainRead = mainTasks.ToList();
        var columnsToRead = numeric.Concat(keys).Concat(timeColumn is null ? [] : [timeColumn]).Distinct().ToArray();
        var staged = Profile.Of(table, stagedId, stagedRead, columnsToRead, numeric, keys.Length > 0 && timeColumn is not null ? keys.Append(timeColumn).ToArray() : []);
        var main = Profile.Of(table, mainId, mainRead, columnsToRead, numeric, []);

        if (keys.Length > 0 && timeColumn is not null && rules.UniqueKeys)
        {
            checks.Add(new AuditCheck("unique_keys", string.Join(",", keys) + "," + timeColumn, staged.DuplicateKeys, 0, staged.DuplicateKeys == 0,
                staged.DuplicateKeys == 0 ? "every (entity, feature time) once" : $"{staged.DuplicateKeys} duplicate (entity, feature time) row(s)"));
        }
        var columns = new List<ColumnAudit>();
        for (int c = 0; c < numeric.Length; c++)
        {
            var name = numeric[c];
            var columnRules = rules.For(name);
            var s = staged.Columns[c];
            var b = main.Columns[c];
            var sSorted = s.SortedSample();
            var bSorted = b.SortedSample();
            double psi = Drift.PopulationStabilityIndex(bSorted, sSorted);
            double ks = Drift.KolmogorovSmirnov(bSorted, sSorted);
            var edges = Drift.QuantileEdges(bSorted.Length > 0 ? bSorted : sSorted, 10);
            columns.Add(new ColumnAudit(name, b.NullRate, s.NullRate, s.Min, s.Max, psi, ks, edges, Drift.Shares(bSorted, edges), Drift.Shares(sSorted, edges)));
            double nullIncrease = s.NullRate - b.NullRate;
            checks.Add(new AuditCheck("null_rate_increase", name, nullIncrease, columnRules.NullRateIncreaseMax, nullIncrease <= columnRules.NullRateIncreaseMax,
                $"null rate {b.NullRate:P1} -> {s.NullRate:P1}"));
            if (bSorted.Length > 0 && sSorted.Length > 0)
            {
                checks.Add(new AuditCheck("psi", name, psi, columnRules.PsiMax, psi <= columnRules.PsiMax, $"PSI {psi:0.####} (max {columnRules.PsiMax}); staged range [{s.Min:G6}, {s.Max:G6}]"));
                checks.Add(new AuditCheck("ks", name, ks, columnRules.KsMax, ks <= columnRules.KsMax, $"KS {ks:0.####} (max {columnRules.KsMax})"));
            }
        }

        var result = new AuditResult(table.Identifier.ToString(), branch, stagedId, mainId, checks.All(c => c.Passed), checks, partitions, columns, staged.DuplicateKeys);
        return Store(table, result);
    }

    /// <summary>Writes the result under the table's <c>audits/</c> folder and records the verdict as a table property.</summary>
    private static AuditResult Store(Table table, AuditResult result)
    {
        var bytes = result.ToUtf8Json();
        var location = $"{table.Metadata.Location.TrimEnd('/')}/audits/{result.SnapshotId}-{Guid.NewGuid():N}.json";
        table.Io.WriteAtomic(location, bytes);
        var verdict = $"{(result.Passed ? "passed" : "failed")};sha256={Convert.ToHexStringLower(SHA256.HashData(bytes))};file={location}";
        MetadataCommit.Commit(table, (metadata, _) =>
        {
            var properties = new Dictionary<string, string>(metadata.Properties, StringComparer.Ordinal) { [PropertyPrefix + result.SnapshotId] = verdict };
            return metadata with { Properties = properties };
        });
        return result with { ResultLocation = location };
    }

    private static IReadOnlyList<FileScanTask> Plan(Table table, long snapshotId) => new TableScan(table).UseSnapshot(snapshotId).PlanFiles().Tasks;

    /// <summary>The event-time column: the table property <c>floe.timestamp</c>, else the source of a time partition.</summary>
    private static string? TimeColumn(Table table)
    {
        if (table.Metadata.Properties.TryGetValue(FeatureGroupResolver.TimestampProperty, out var ts)) return ts;
        foreach (var field in table.Spec.Fields)
        {
            if (field.Transform.Kind is TransformKind.Day or TransformKind.Hour or TransformKind.Month or TransformKind.Year)
            {
                return table.Schema.FindField(field.SourceId)?.Name;
            }
        }
        return null;
    }

    /// <summary>The index of the day(time) partition field, or -1 (then the whole table is one partition).</summary>
    private static int DayPartitionField(Table table, string? timeColumn)
    {
        if (timeColumn is null || table.Schema.FindField(timeColumn) is not { } field) return -1;
        for (int i = 0; i < table.Spec.Fields.Count; i++)
        {
            if (table.Spec.Fields[i].SourceId == field.Id && table.Spec.Fields[i].Transform.Kind == TransformKind.Day) return i;
        }
        return -1;
    }

    private static long DayOf(FileScanTask task, int dayField) =>
        dayField >= 0 && task.File.Partition[dayField] is int day ? day : long.MinValue;

    private sealed class DayFiles
    {
        public HashSet<string> Paths { get; } = new(StringComparer.Ordinal);

        public long Rows { get; set; }
    }

    private static Dictionary<long, DayFiles> FilesByDay(IReadOnlyList<FileScanTask> tasks, int dayField)
    {
        var days = new Dictionary<long, DayFiles>();
        foreach (var task in tasks)
        {
            var day = DayOf(task, dayField);
            if (!days.TryGetValue(day, out var files)) days[day] = files = new DayFiles();
            files.Paths.Add(task.File.FilePath);
            files.Rows += task.File.RecordCount;
        }
        return days;
    }
}
