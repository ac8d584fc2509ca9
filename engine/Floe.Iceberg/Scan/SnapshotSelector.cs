using System.Globalization;
using Floe.Core.Errors;
using Floe.Core.Text;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Scan;

/// <summary>Resolves which snapshot a read sees: by id, by ref name, or as of a point in time on main.</summary>
public static class SnapshotSelector
{
    /// <summary>The snapshot with <paramref name="snapshotId"/>; throws NotFound.</summary>
    public static Snapshot ById(TableMetadata metadata, long snapshotId) =>
        metadata.SnapshotById(snapshotId) ?? throw Errors.NotFound($"snapshot {snapshotId} is not in the table's metadata");

    /// <summary>The snapshot a branch or tag points at; throws NotFound.</summary>
    public static Snapshot? ByRef(TableMetadata metadata, string name)
    {
        if (!metadata.Refs.ContainsKey(name) && name != SnapshotRef.MainBranch)
        {
            throw Errors.NotFound($"ref '{name}' does not exist (refs: {string.Join(", ", metadata.Refs.Keys)})");
        }
        return metadata.SnapshotForRef(name);
    }

    /// <summary>
    /// The snapshot that was current on main at <paramref name="timestampMs"/>: the last snapshot-log entry at or
    /// before that instant (as Iceberg's <c>FOR SYSTEM_TIME AS OF</c>); throws NotFound when the table had none then.
    /// </summary>
    public static Snapshot AsOf(TableMetadata metadata, long timestampMs)
    {
        SnapshotLogEntry? match = null;
        foreach (var entry in metadata.SnapshotLog)
        {
            if (entry.TimestampMs <= timestampMs) match = entry;
        }
        if (match is null)
        {
            throw Errors.NotFound($"the table has no snapshot as of {DateTimeOffset.FromUnixTimeMilliseconds(timestampMs):yyyy-MM-dd HH:mm:ss.fff} UTC");
        }
        return ById(metadata, match.SnapshotId);
    }

    /// <summary>Parses an as-of timestamp (ISO-8601, UTC unless it carries an offset) into epoch milliseconds.</summary>
    public static long ParseTimestampMs(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.Trim());
        if (Utf8Values.TryParseTimestamp(bytes, out var micros)) return Math.DivRem(micros, 1000, out var rem) - (rem < 0 ? 1 : 0);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return ms;
        throw Errors.InvalidArgument($"'{text}' is not a timestamp (expected ISO-8601 such as 2023-06-01 12:00:00 or 2023-06-01T12:00:00+02:00, or epoch milliseconds)");
    }
}
