using System.Globalization;
using System.Text.Json;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Maintenance;
using Floe.Core.Json;

namespace Floe.Application.Maintenance;

/// <summary>Text and JSON renderings of maintenance results, shared by the CLI and other faces.</summary>
public static class MaintenanceReports
{
    /// <summary>Human-readable summary of an expiry, with every deleted (or, dry run, deletable) file.</summary>
    public static string ToText(ExpireSnapshotsResult r)
    {
        var verb = r.DryRun ? "would delete" : "deleted";
        var lines = new List<string>
        {
            $"{(r.DryRun ? "would expire" : "expired")} {r.ExpiredSnapshotIds.Count} snapshot(s){(r.ExpiredSnapshotIds.Count > 0 ? ": " + string.Join(", ", r.ExpiredSnapshotIds.Select(i => i.ToString(CultureInfo.InvariantCulture))) : "")}",
        };
        if (r.RemovedRefs.Count > 0) lines.Add($"{(r.DryRun ? "would remove" : "removed")} ref(s) past max-ref-age-ms: {string.Join(", ", r.RemovedRefs)}");
        lines.Add($"{verb} {r.DeletedDataFiles.Count} data file(s), {r.DeletedDeleteFiles.Count} delete file(s), {r.DeletedManifests.Count} manifest(s), {r.DeletedManifestLists.Count} manifest list(s)");
        foreach (var f in r.DeletedDataFiles.Concat(r.DeletedDeleteFiles).Concat(r.DeletedManifests).Concat(r.DeletedManifestLists)) lines.Add("  " + f);
        if (r.FilesKept) lines.Add("files kept: the table was registered, not created by Floe (pass --delete-registered-files to delete them)");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Machine-readable expiry result.</summary>
    public static void WriteJson(Utf8JsonWriter json, ExpireSnapshotsResult r)
    {
        json.WriteStartObject();
        json.WriteBoolean("dry_run", r.DryRun);
        json.WriteStartArray("expired_snapshot_ids");
        foreach (var id in r.ExpiredSnapshotIds) json.WriteNumberValue(id);
        json.WriteEndArray();
        Strings(json, "removed_refs", r.RemovedRefs);
        Strings(json, "deleted_data_files", r.DeletedDataFiles);
        Strings(json, "deleted_delete_files", r.DeletedDeleteFiles);
        Strings(json, "deleted_manifests", r.DeletedManifests);
        Strings(json, "deleted_manifest_lists", r.DeletedManifestLists);
        json.WriteBoolean("files_kept", r.FilesKept);
        json.WriteEndObject();
    }

    /// <summary>Human-readable orphan-removal result listing every orphan.</summary>
    public static string ToText(RemoveOrphanFilesResult r)
    {
        var lines = new List<string>
        {
            $"{(r.DryRun ? "would delete" : "deleted")} {r.OrphanFiles.Count} orphan file(s) older than {DateTimeOffset.FromUnixTimeMilliseconds(r.OlderThanMs):yyyy-MM-dd HH:mm:ss} UTC ({r.ReferencedFiles} file(s) referenced)",
        };
        lines.AddRange(r.OrphanFiles.Select(f => "  " + f));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Machine-readable orphan-removal result.</summary>
    public static void WriteJson(Utf8JsonWriter json, RemoveOrphanFilesResult r)
    {
        json.WriteStartObject();
        json.WriteBoolean("dry_run", r.DryRun);
        json.WriteNumber("older_than_ms", r.OlderThanMs);
        json.WriteNumber("referenced_files", r.ReferencedFiles);
        Strings(json, "orphan_files", r.OrphanFiles);
        json.WriteEndObject();
    }

    /// <summary>Human-readable file check.</summary>
    public static string ToText(CheckFilesResult r)
    {
        var lines = new List<string> { $"{(r.Healthy ? "healthy" : "DAMAGED")}: {r.FilesChecked} file(s) of {r.Snapshots} snapshot(s) checked, {r.Problems.Count} problem(s)" };
        lines.AddRange(r.Problems.Select(p => $"  {p.Location}: {p.Problem}"));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Machine-readable file check.</summary>
    public static void WriteJson(Utf8JsonWriter json, CheckFilesResult r)
    {
        json.WriteStartObject();
        json.WriteBoolean("healthy", r.Healthy);
        json.WriteNumber("snapshots", r.Snapshots);
        json.WriteNumber("files_checked", r.FilesChecked);
        json.WriteStartArray("problems");
        foreach (var p in r.Problems)
        {
            json.WriteStartObject();
            json.WriteString("file", p.Location);
            json.WriteString("problem", p.Problem);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Human-readable drop result.</summary>
    public static string ToText(DropTableResult r)
    {
        if (!r.Purged) return $"dropped {r.Table} (files kept)";
        var lines = new List<string> { $"dropped {r.Table}; deleted {r.DeletedFiles.Count} referenced file(s)" };
        if (r.SkippedFiles.Count > 0)
        {
            lines.Add($"left {r.SkippedFiles.Count} referenced file(s) in place:");
            lines.AddRange(r.SkippedFiles.Select(f => "  " + f));
        }
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Machine-readable drop result.</summary>
    public static void WriteJson(Utf8JsonWriter json, DropTableResult r)
    {
        json.WriteStartObject();
        json.WriteString("table", r.Table.ToString());
        json.WriteBoolean("purged", r.Purged);
        Strings(json, "deleted_files", r.DeletedFiles);
        Strings(json, "skipped_files", r.SkippedFiles);
        json.WriteEndObject();
    }

    /// <summary>Human-readable compaction result.</summary>
    public static string ToText(RewriteDataFilesResult r) =>
        r.SnapshotId is { } id
            ? $"rewrote {r.RewrittenFiles} file(s) ({r.RewrittenBytes} bytes) in {r.RewrittenPartitions} partition(s) into {r.AddedFiles} file(s) ({r.AddedBytes} bytes), {r.Rows} rows, {r.RemovedDeleteFiles} delete file(s) applied and removed; snapshot {id.ToString(CultureInfo.InvariantCulture)}"
            : "nothing to compact: no partition has enough small files";

    /// <summary>Machine-readable compaction result.</summary>
    public static void WriteJson(Utf8JsonWriter json, RewriteDataFilesResult r)
    {
        json.WriteStartObject();
        json.WriteNumberOrNull("snapshot_id", r.SnapshotId);
        json.WriteNumber("rewritten_partitions", r.RewrittenPartitions);
        json.WriteNumber("rewritten_files", r.RewrittenFiles);
        json.WriteNumber("added_files", r.AddedFiles);
        json.WriteNumber("rewritten_bytes", r.RewrittenBytes);
        json.WriteNumber("added_bytes", r.AddedBytes);
        json.WriteNumber("rows", r.Rows);
        json.WriteNumber("removed_delete_files", r.RemovedDeleteFiles);
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }
}
