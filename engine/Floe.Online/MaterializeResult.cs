using System.Text.Json;
using Floe.Core.Json;

namespace Floe.Online;

/// <summary>What a materialization did.</summary>
/// <param name="Table">The feature table read.</param>
/// <param name="SnapshotId">The snapshot materialized.</param>
/// <param name="Incremental">Whether only files added since the last materialized snapshot were read.</param>
/// <param name="PreviousSnapshotId">The snapshot materialized before, if any.</param>
/// <param name="FilesRead">Data files read.</param>
/// <param name="RowsRead">Feature rows read.</param>
/// <param name="EntitiesWritten">Entities sent to Redis (each kept only if not older than what Redis holds).</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record MaterializeResult(string Table, long SnapshotId, bool Incremental, long? PreviousSnapshotId, int FilesRead, long RowsRead, long EntitiesWritten, TimeSpan Elapsed)
{
    /// <summary>Human-readable text: one line.</summary>
    public string ToText() =>
        $"materialized {Table} snapshot {SnapshotId} ({(Incremental ? $"incremental since {PreviousSnapshotId}" : "full")}): " +
        $"{FilesRead} file(s), {RowsRead} row(s) read, {EntitiesWritten} entit(ies) written in {Elapsed.TotalSeconds:F2} s";

    /// <summary>Machine-readable JSON.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("table", Table);
        json.WriteNumber("snapshot_id", SnapshotId);
        json.WriteBoolean("incremental", Incremental);
        json.WriteNumberOrNull("previous_snapshot_id", PreviousSnapshotId);
        json.WriteNumber("files_read", FilesRead);
        json.WriteNumber("rows_read", RowsRead);
        json.WriteNumber("entities_written", EntitiesWritten);
        json.WriteNumber("seconds", Elapsed.TotalSeconds);
        json.WriteEndObject();
    }
}
