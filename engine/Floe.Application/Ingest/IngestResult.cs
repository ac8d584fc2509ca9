using System.Text.Json;

namespace Floe.Application.Ingest;

/// <summary>What an ingest committed.</summary>
public sealed record IngestResult(long SnapshotId, string Operation, long RowsWritten, int FilesWritten, IReadOnlyDictionary<string, string> Summary)
{
    /// <summary>Human-readable text: one line.</summary>
    public string ToText() => $"committed snapshot {SnapshotId} ({Operation}): {RowsWritten} rows in {FilesWritten} files";

    /// <summary>Machine-readable JSON: the snapshot, what it added and its summary.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("snapshot_id", SnapshotId);
        json.WriteString("operation", Operation);
        json.WriteNumber("rows", RowsWritten);
        json.WriteNumber("files", FilesWritten);
        json.WriteStartObject("summary");
        foreach (var (key, value) in Summary) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
