using System.Globalization;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Writing;
using Schema = Floe.Core.Types.Schema;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Benchmarks.E2E.Commit;

/// <summary>
/// Grows a day-partitioned events table to N snapshots and F data files without paying N real commits: it writes
/// one real Parquet file once, then per snapshot one real manifest (F/N DataFile records pointing at that file, with
/// the snapshot's day as partition value and matching column bounds) and one manifest list, and finally the
/// metadata JSON with all N snapshots, their snapshot log and a full metadata log in a single commit.
/// The head snapshot's manifest list is complete (every manifest, newest first, as N fast appends leave it);
/// older snapshots' lists hold only the manifest they added: full lists for every historical snapshot are O(N²)
/// to write, and neither a commit nor a plan of the head reads them.
/// </summary>
internal static class CommitTableBuilder
{
    public const long MicrosPerDay = 86_400_000_000L;

    /// <summary>2024-01-01 as days since the epoch.</summary>
    public const int Day0 = 19723;

    public static Schema EventsSchema { get; } = new(0, new[]
    {
        new NestedField(1, "entity_id", true, PrimitiveType.Long),
        new NestedField(2, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(3, "amount", false, PrimitiveType.Double),
    });

    public static PartitionSpec DaySpec { get; } = new(0, new[] { new PartitionField(2, 1000, "event_time_day", Transform.Day) });

    /// <summary>Writes the one real Parquet file (1,000 rows of day 0) every DataFile record points at.</summary>
    public static DataFile WriteTemplate(Table table)
    {
        const int rows = 1000;
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"));
        var amounts = new DoubleArray.Builder();
        for (var i = 0; i < rows; i++)
        {
            ids.Append(i % 97);
            times.Append(DateTimeOffset.UnixEpoch.AddTicks((Day0 * MicrosPerDay + i * 60_000_000L) * 10));
            amounts.Append(i * 0.5);
        }
        var batch = new RecordBatch(ArrowSchemas.ToArrow(EventsSchema), new IArrowArray[] { ids.Build(), times.Build(), amounts.Build() }, rows);
        using var writer = new PartitionedWriter(table);
        writer.Write(batch);
        return writer.Complete()[0];
    }

    /// <summary>The template re-labelled as a file of <paramref name="day"/> (partition value and event_time bounds).</summary>
    public static DataFile FileFor(DataFile template, int day)
    {
        var lower = new Dictionary<int, byte[]>(template.LowerBounds ?? new Dictionary<int, byte[]>());
        var upper = new Dictionary<int, byte[]>(template.UpperBounds ?? new Dictionary<int, byte[]>());
        lower[2] = Conversions.ToBytes(PrimitiveType.TimestampTz, day * MicrosPerDay);
        upper[2] = Conversions.ToBytes(PrimitiveType.TimestampTz, day * MicrosPerDay + MicrosPerDay - 1);
        return template with { Partition = new PartitionData(new object?[] { day }), LowerBounds = lower, UpperBounds = upper };
    }

    /// <summary>Adds <paramref name="snapshots"/> append snapshots holding <paramref name="files"/> files over <paramref name="days"/> days.</summary>
    public static void Grow(Table table, DataFile template, int snapshots, int files, int days)
    {
        if (snapshots == 0) return;
        var io = table.Io;
        var baseMetadata = table.Metadata;
        var baseLocation = table.MetadataLocation;
        var root = baseMetadata.Location.TrimEnd('/');
        var schemaJson = SchemaParser.ToJson(EventsSchema);
        var specJson = PartitionSpecParser.FieldsToJson(DaySpec);
        var byDay = new Dictionary<int, DataFile>();
        var manifests = new List<ManifestFile>(snapshots);
        var snapshotList = new List<Snapshot>(snapshots);
        var log = new List<SnapshotLogEntry>(snapshots);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - snapshots * 60_000L;
        long? parent = null;
        long totalFiles = 0, totalRecords = 0, totalSize = 0;
        for (var i = 0; i < snapshots; i++)
        {
            var id = Random.Shared.NextInt64(1, long.MaxValue);
            var sequence = i + 1L;
            var day = Day0 + (int)((long)i * days / snapshots);
            if (!byDay.TryGetValue(day, out var file)) byDay[day] = file = FileFor(template, day);
            var count = files / snapshots + (i < files % snapshots ? 1 : 0);
            var manifestPath = $"{root}/metadata/{Guid.NewGuid()}-m0.avro";
            ManifestFile manifest;
            using (var writer = new ManifestWriter(io, manifestPath, DaySpec, EventsSchema, 2, id, ManifestContent.Data, schemaJson, specJson))
            {
                for (var k = 0; k < count; k++) writer.Add(file);
                manifest = writer.Close() with { SequenceNumber = sequence, MinSequenceNumber = sequence };
            }
            manifests.Add(manifest);
            var listPath = $"{root}/metadata/snap-{id}-1-{Guid.NewGuid()}.avro";
            if (i < snapshots - 1)
            {
                using var list = new ManifestListWriter(io, listPath, 2, id, parent, sequence);
                list.Add(manifest);
                list.Close();
            }
            else
            {
                using var list = new ManifestListWriter(io, listPath, 2, id, parent, sequence);
                for (var m = manifests.Count - 1; m >= 0; m--) list.Add(manifests[m]);
                list.Close();
            }
            totalFiles += count;
            totalRecords += count * file.RecordCount;
            totalSize += count * file.FileSizeInBytes;
            var timestamp = start + i * 60_000L;
            snapshotList.Add(new Snapshot(id, parent, sequence, timestamp, listPath, Summary(count, file, totalFiles, totalRecords, totalSize), EventsSchema.SchemaId));
            log.Add(new SnapshotLogEntry(timestamp, id));
            parent = id;
        }
        var head = snapshotList[^1];
        var metadataLog = new List<MetadataLogEntry>();
        for (var v = 1; v < Math.Min(snapshots, 100); v++)
        {
            metadataLog.Add(new MetadataLogEntry(start + v * 60_000L, $"{root}/metadata/{v:D5}-{Guid.NewGuid()}.metadata.json"));
        }
        var updated = baseMetadata with
        {
            Snapshots = snapshotList,
            Refs = new Dictionary<string, SnapshotRef>(StringComparer.Ordinal) { [SnapshotRef.MainBranch] = new SnapshotRef(head.SnapshotId, SnapshotRefType.Branch) },
            CurrentSnapshotId = head.SnapshotId,
            SnapshotLog = log,
            MetadataLog = metadataLog,
            LastSequenceNumber = snapshots,
            LastUpdatedMs = head.TimestampMs,
        };
        table.Operations.Commit(baseMetadata, baseLocation, updated);
        table.Refresh();
    }

    private static Dictionary<string, string> Summary(int count, DataFile file, long totalFiles, long totalRecords, long totalSize) => new(StringComparer.Ordinal)
    {
        ["operation"] = "append",
        ["added-data-files"] = S(count),
        ["added-records"] = S(count * file.RecordCount),
        ["added-files-size"] = S(count * file.FileSizeInBytes),
        ["changed-partition-count"] = "1",
        ["total-records"] = S(totalRecords),
        ["total-files-size"] = S(totalSize),
        ["total-data-files"] = S(totalFiles),
        ["total-delete-files"] = "0",
        ["total-position-deletes"] = "0",
        ["total-equality-deletes"] = "0",
    };

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
}
