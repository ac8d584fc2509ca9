using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Transactions;

namespace Floe.Application.Tables;

/// <summary>What a delete committed.</summary>
/// <param name="SnapshotId">The new snapshot, or 0 when no row matched and nothing was committed.</param>
/// <param name="DeletedFiles">Data files removed whole.</param>
/// <param name="Summary">The new snapshot's summary (empty when nothing was committed).</param>
/// <param name="RewrittenFiles">Data files that kept some rows: rewritten without the matching ones (copy-on-write) or
/// given deletes (merge-on-read).</param>
/// <param name="DeletedRows">Rows removed.</param>
/// <param name="DeleteFiles">Position delete files or deletion vectors written (merge-on-read).</param>
/// <param name="Mode">The table's <c>write.delete.mode</c> as applied: <c>copy-on-write</c> or <c>merge-on-read</c>.</param>
public sealed record DeleteResult(long SnapshotId, int DeletedFiles, IReadOnlyDictionary<string, string> Summary, int RewrittenFiles = 0, long DeletedRows = 0,
    int DeleteFiles = 0, string Mode = "copy-on-write")
{
    /// <summary>The snapshot's operation: <c>delete</c> for merge-on-read, <c>overwrite</c> for copy-on-write.</summary>
    public string Operation => Summary.TryGetValue("operation", out var op) ? op : "overwrite";

    /// <summary>Writes the result as the JSON object every face gives (<c>floe delete --json</c>, <c>floe_table_delete</c>).</summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteNumber("snapshot_id", SnapshotId);
        json.WriteNumber("deleted_files", DeletedFiles);
        json.WriteNumber("rewritten_files", RewrittenFiles);
        json.WriteNumber("deleted_rows", DeletedRows);
        json.WriteNumber("delete_files", DeleteFiles);
        json.WriteString("mode", Mode);
        json.WriteStartObject("summary");
        foreach (var (k, v) in Summary) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

/// <summary>
/// Deletes exactly the rows of a table matching a filter (see <see cref="DeleteRows"/>): whole files when metrics prove
/// every row matches, else as the table's <c>write.delete.mode</c> says (copy-on-write rewrites, or merge-on-read
/// position delete files in v2 and deletion vectors in v3).
/// </summary>
public sealed class DeleteService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public DeleteService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Deletes the rows of <paramref name="tableName"/> matching <paramref name="filter"/>, in one snapshot.</summary>
    public DeleteResult Delete(string tableName, string filter, string branch = "main", IReadOnlyDictionary<string, string>? properties = null)
    {
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        var delete = new DeleteRows(table, ExpressionParser.Parse(filter, table.Schema));
        delete.ToBranch(branch);
        foreach (var (k, v) in properties ?? new Dictionary<string, string>()) delete.Set(k, v);
        var result = delete.Execute();
        var mode = result.Mode == RowDeleteMode.MergeOnRead ? "merge-on-read" : "copy-on-write";
        if (result.SnapshotId is not { } id) return new DeleteResult(0, 0, new Dictionary<string, string>(), Mode: mode);
        var snapshot = _warehouse.LoadTable(TableIdentifier.Parse(tableName)).Metadata.SnapshotById(id);
        return new DeleteResult(id, result.RemovedFiles, snapshot?.Summary ?? new Dictionary<string, string>(), result.RewrittenFiles, result.DeletedRows,
            result.DeleteFiles, mode);
    }
}
