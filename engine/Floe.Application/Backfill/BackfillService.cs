using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Floe.Application.Features;
using Floe.Core.Errors;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Sources;
using Floe.Iceberg.Catalog;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Transforms;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.Backfill;

/// <summary>
/// <c>floe backfill</c>: computes a feature group day by day and commits the days into its feature table as a
/// dynamic partition overwrite, so a rerun of a range replaces exactly those days (days whose output is now empty
/// end up empty) and leaves every other day's files alone. Rows are those <c>features compute</c> gives for the same
/// range. Each commit is atomic and carries lineage properties (<see cref="LineageKeys"/>); data files written by a
/// run that fails, is cancelled or is killed are never referenced by a snapshot (the first two delete them).
/// </summary>
public sealed class BackfillService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public BackfillService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Floe's version, as recorded in <see cref="LineageKeys.EngineVersion"/>.</summary>
    public static string EngineVersion { get; } =
        typeof(BackfillService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// Runs the backfill <paramref name="request"/> describes. The feature table (the definition's <c>output.table</c>)
    /// is created on first use with the computed schema and <c>day(&lt;timestamp&gt;)</c> partitioning; an existing one
    /// must have exactly that schema and spec. With <see cref="BackfillRequest.CommitEveryDays"/> the range is
    /// committed in chunks and a cancelled or failed run keeps the chunks already committed (a rerun resumes after them).
    /// </summary>
    /// <param name="request">What to compute and where to commit.</param>
    /// <param name="progress">Told after each day and each commit; may be null.</param>
    /// <param name="cancellation">Stops the run before its next day or commit; the uncommitted days' files are deleted.</param>
    /// <exception cref="OperationCanceledException">Cancelled; the target branch holds only the commits made before.</exception>
    /// <exception cref="FloeException">InvalidArgument (range, options), NotFound (definition, source), InvalidData
    /// (definition, or an existing table whose schema or partitioning differs), CommitConflict (a concurrent writer
    /// replaced the same days).</exception>
    public BackfillResult Run(BackfillRequest request, IProgress<BackfillProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.StartNew();
        var (fromDay, toDay) = Days(request);
        if (request.CommitEveryDays < 0) throw Errors.InvalidArgument($"--commit-every {request.CommitEveryDays} must be positive");
        if (request.MaxMemoryBytes < 0) throw Errors.InvalidArgument($"--max-memory {request.MaxMemoryBytes} must be positive");

        var definition = DefinitionFiles.Parse(request.DefinitionPath);
        var branch = request.Wap ? request.Branch ?? "wap-" + definition.Name : request.Branch ?? SnapshotRef.MainBranch;
        if (request.Wap && branch == SnapshotRef.MainBranch) throw Errors.InvalidArgument("--wap never writes to main; name a staging branch");

        string? sourceTable = null;
        long? sourceSnapshot = null;
        var source = FeatureFiles.OpenDefinitionSource(definition, request.DefinitionPath, request.Source, name =>
        {
            // Pinned to the snapshot current now, so every chunk of the run reads one table state, which lineage records.
            var table = _warehouse.LoadTable(TableIdentifier.Parse(name));
            sourceTable = table.Identifier.ToString();
            sourceSnapshot = table.Metadata.CurrentSnapshotId;
            return new IcebergEventSource(table, sourceSnapshot);
        });
        var lineage = Lineage(request, definition, fromDay, toDay, sourceTable, sourceSnapshot);

        var (table, created) = OpenOutputTable(definition, source);
        if (request.Tag is { } tagName && table.Metadata.Refs.ContainsKey(tagName))
        {
            throw Errors.AlreadyExists($"--tag '{tagName}': table '{table.Identifier}' already has a ref of that name");
        }
        var startDay = request.Resume ? ResumePoint(table, branch, lineage, fromDay, toDay) : null;
        var budget = MemoryBudget.For(request.MaxMemoryBytes, ParquetWriterOptions.FromTableProperties(table.Metadata.Properties).RowGroupBytes);
        var options = ParquetWriterOptions.FromTableProperties(table.Metadata.Properties) with { RowGroupBytes = budget.RowGroupBytes };

        int totalDays = toDay.DayNumber - fromDay.DayNumber;
        int resumedDays = startDay is { } s0 ? s0.DayNumber - fromDay.DayNumber : 0;
        int chunk = request.CommitEveryDays > 0 ? request.CommitEveryDays : totalDays;
        var snapshots = new List<long>();
        long rows = 0, events = 0;
        int files = 0, days = 0;
        Dictionary<string, string> lastProperties = new(lineage, StringComparer.Ordinal);
        for (var segmentStart = startDay ?? fromDay; segmentStart < toDay;)
        {
            var segmentEnd = DateOnly.FromDayNumber(Math.Min(segmentStart.DayNumber + chunk, toDay.DayNumber));
            long rowsBefore = rows;
            var sink = new FeatureTableSink(table, options, (day, dayRows) =>
            {
                rows += dayRows;
                progress?.Report(new BackfillProgress(day.DayNumber - fromDay.DayNumber + 1, totalDays, rows, started.Elapsed, null, resumedDays));
            }, cancellation);
            try
            {
                var computed = FeatureComputation.Compute(definition, source, Midnight(segmentStart), Midnight(segmentEnd), sink, budget.Parallelism, cancellation);
                events += computed.EventsRead;
                cancellation.ThrowIfCancellationRequested();
                var overwrite = new DynamicPartitionOverwrite(table);
                foreach (var file in sink.Files) overwrite.AddFile(file);
                // A day without output rows must lose its old files too, or a rerun would not converge.
                for (var day = segmentStart; day < segmentEnd; day = day.AddDays(1)) overwrite.ReplacePartition(table.Spec.SpecId, FeatureTableSink.PartitionOf(day));
                overwrite.ToBranch(branch);
                lastProperties = new Dictionary<string, string>(lineage, StringComparer.Ordinal)
                {
                    [LineageKeys.CommitFrom] = Iso(segmentStart),
                    [LineageKeys.CommitTo] = Iso(segmentEnd),
                };
                foreach (var (k, v) in lastProperties) overwrite.Set(k, v);
                if (request.Tag is { } tag && segmentEnd == toDay)
                {
                    // The run's last snapshot and its tag land in one commit.
                    new TableTransaction(table)
                        .Add(overwrite)
                        .Add(new ManageSnapshots(table).CreateTag(tag, SnapshotTarget.Snapshot(overwrite.SnapshotId)))
                        .Commit();
                }
                else
                {
                    overwrite.Commit();
                }
                snapshots.Add(overwrite.SnapshotId);
            }
            catch
            {
                sink.Abort();
                rows = rowsBefore;
                throw;
            }
            files += sink.Files.Count;
            days += segmentEnd.DayNumber - segmentStart.DayNumber;
            progress?.Report(new BackfillProgress(segmentEnd.DayNumber - fromDay.DayNumber, totalDays, rows, started.Elapsed, snapshots[^1], resumedDays));
            segmentStart = segmentEnd;
        }
        if (snapshots.Count == 0)
        {
            // Resumed a run whose every day was already committed: nothing left to do.
            var head = Head(table, branch)!;
            snapshots.Add(head.SnapshotId);
            lastProperties = LineageOf(head);
            if (request.Tag is { } tag) new ManageSnapshots(table).CreateTag(tag, SnapshotTarget.Snapshot(head.SnapshotId)).Commit();
        }
        return new BackfillResult(table.Identifier.ToString(), branch, snapshots[^1], snapshots, created, fromDay, toDay, startDay,
            days, rows, files, events, started.Elapsed, lastProperties);
    }

    /// <summary>The <c>floe.*</c> properties of a snapshot's summary.</summary>
    public static Dictionary<string, string> LineageOf(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in snapshot.Summary)
        {
            if (k.StartsWith(LineageKeys.Prefix, StringComparison.Ordinal)) result[k] = v;
        }
        return result;
    }

    internal static (DateOnly From, DateOnly To) Days(BackfillRequest request)
    {
        static DateOnly Day(DateTimeOffset t, string option)
        {
            var utc = t.ToUniversalTime();
            if (utc.TimeOfDay != TimeSpan.Zero) throw Errors.InvalidArgument($"{option} {t:O}: a backfill replaces whole days, so it must be a UTC midnight (a date)");
            return DateOnly.FromDateTime(utc.UtcDateTime);
        }
        var from = Day(request.From, "--from");
        var to = Day(request.To, "--to");
        if (to <= from) throw Errors.InvalidArgument($"--to ({Iso(to)}) must be after --from ({Iso(from)})");
        return (from, to);
    }

    internal static Dictionary<string, string> Lineage(BackfillRequest request, FeatureGroupDefinition definition, DateOnly from, DateOnly to,
        string? sourceTable, long? sourceSnapshot)
    {
        var lineage = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LineageKeys.DefinitionName] = definition.Name,
            [LineageKeys.DefinitionVersion] = definition.Version.ToString(CultureInfo.InvariantCulture),
            [LineageKeys.DefinitionSha256] = DefinitionFiles.Sha256(request.DefinitionPath),
            [LineageKeys.EngineVersion] = EngineVersion,
            [LineageKeys.BackfillFrom] = Iso(from),
            [LineageKeys.BackfillTo] = Iso(to),
        };
        if (!string.IsNullOrWhiteSpace(request.CodeVersion))
        {
            lineage[LineageKeys.CodeVersion] = request.CodeVersion.Trim();
        }
        else
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(request.DefinitionPath)) ?? ".";
            var (commit, dirty) = CodeVersion.OfDirectory(directory);
            lineage[LineageKeys.CodeVersion] = commit;
            if (dirty is { } d) lineage[LineageKeys.CodeDirty] = d ? "true" : "false";
        }
        if (sourceTable is not null)
        {
            lineage[LineageKeys.SourceTable] = sourceTable;
            lineage[LineageKeys.SourceSnapshotId] = sourceSnapshot?.ToString(CultureInfo.InvariantCulture) ?? "none";
        }
        else
        {
            lineage[LineageKeys.SourceFiles] = SourceFiles(request, definition);
        }
        return lineage;
    }

    private static string SourceFiles(BackfillRequest request, FeatureGroupDefinition definition)
    {
        if (request.Source is { } spec) return Path.GetFullPath(spec);
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(request.DefinitionPath)) ?? ".";
        return string.Join(",", definition.Source!.Files.Select(f => Path.GetFullPath(Path.IsPathRooted(f) ? f : Path.Combine(baseDir, f))));
    }

    /// <summary>Loads the feature table, creating it when missing; checks an existing one has the computed schema and day spec.</summary>
    internal (Table Table, bool Created) OpenOutputTable(FeatureGroupDefinition definition, IEventSource source)
    {
        var id = TableIdentifier.Parse(definition.OutputTable);
        var schema = Floe.Core.Arrow.ArrowSchemas.FromArrow(FeatureComputation.OutputSchema(definition, source.Schema));
        if (!_warehouse.Catalog.TableExists(id))
        {
            var spec = PartitionSpecBuilder.Parse($"day({definition.Timestamp})", schema);
            try
            {
                return (_warehouse.CreateTable(id, schema, spec, new Dictionary<string, string>
                {
                    ["floe.feature-group"] = definition.Name,
                    // The key columns, so training sets and audits know the table without its definition.
                    [TrainingSets.FeatureGroupResolver.EntityProperty] = string.Join(",", definition.Entity),
                    [TrainingSets.FeatureGroupResolver.TimestampProperty] = definition.Timestamp,
                }), true);
            }
            catch (FloeException e) when (e.Code == FloeErrorCode.AlreadyExists)
            {
                // Another run created it first: check it like any existing table.
            }
        }
        var table = _warehouse.LoadTable(id);
        CheckSchema(table, schema, definition);
        return (table, false);
    }

    private static void CheckSchema(Table table, Floe.Core.Types.Schema expected, FeatureGroupDefinition definition)
    {
        var actual = table.Schema;
        int common = Math.Min(actual.Fields.Count, expected.Fields.Count);
        int differs = actual.Fields.Count == expected.Fields.Count ? -1 : common;
        for (int i = 0; differs < 0 && i < common; i++)
        {
            var (a, e) = (actual.Fields[i], expected.Fields[i]);
            if (a.Id != e.Id || a.Name != e.Name || a.Type.ToString() != e.Type.ToString() || a.Required != e.Required) { differs = i; }
        }
        if (differs >= 0)
        {
            // Named column by column: two lists of names and types alone read the same when only a column's
            // nullability or field id differs.
            string Column(Floe.Core.Types.Schema schema) =>
                differs < schema.Fields.Count ? Describe(schema.Fields[differs]) : "nothing";
            throw Errors.InvalidData($"feature table '{table.Identifier}' has columns ({Describe(actual)}) but definition '{definition.Name}' v{definition.Version} computes ({Describe(expected)}): column {differs + 1} is {Column(actual)} in the table but {Column(expected)} in the definition's output; drop the table or give the definition another output.table");
        }
        var timestampId = expected.FindField(definition.Timestamp)!.Id;
        var spec = table.Spec;
        if (spec.Fields.Count != 1 || spec.Fields[0].SourceId != timestampId || spec.Fields[0].Transform.Kind != TransformKind.Day)
        {
            throw Errors.InvalidData($"feature table '{table.Identifier}' is not partitioned by day({definition.Timestamp}) alone, so a backfill cannot replace its days");
        }
    }

    private static string Describe(Floe.Core.Types.Schema schema) => string.Join(", ", schema.Fields.Select(f => $"{f.Name}:{f.Type}"));

    private static string Describe(Floe.Core.Types.NestedField field) => $"'{field.Name}: {field.Type}{(field.Required ? " not null" : "")}' (field id {field.Id})";

    /// <summary>
    /// The day to start at when the branch's head is an unfinished commit of this very backfill (same lineage, its
    /// commit ending before the range does); null to start at the beginning.
    /// </summary>
    private static DateOnly? ResumePoint(Table table, string branch, Dictionary<string, string> lineage, DateOnly from, DateOnly to)
    {
        var head = Head(table, branch);
        if (head is null) return null;
        foreach (var (k, v) in lineage)
        {
            if (k == LineageKeys.EngineVersion) continue;
            if (!head.Summary.TryGetValue(k, out var recorded) || recorded != v) return null;
        }
        if (!head.Summary.TryGetValue(LineageKeys.CommitTo, out var text) ||
            !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var done))
        {
            return null;
        }
        return done > from && done < to ? done : null;
    }

    private static Snapshot? Head(Table table, string branch) =>
        table.Metadata.Refs.ContainsKey(branch) ? table.Metadata.SnapshotForRef(branch)
        : branch == SnapshotRef.MainBranch ? table.Metadata.CurrentSnapshot : null;

    internal static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    internal static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
