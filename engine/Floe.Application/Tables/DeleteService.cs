using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Transactions;

namespace Floe.Application.Tables;

/// <summary>What a delete committed.</summary>
public sealed record DeleteResult(long SnapshotId, int DeletedFiles, IReadOnlyDictionary<string, string> Summary);

/// <summary>Deletes whole data files of a table by a filter on partition columns (see <see cref="DeleteFiles"/>).</summary>
public sealed class DeleteService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public DeleteService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Deletes the files of <paramref name="tableName"/> whose rows all match <paramref name="filter"/>, in one snapshot.</summary>
    public DeleteResult Delete(string tableName, string filter, string branch = "main", IReadOnlyDictionary<string, string>? properties = null)
    {
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        var delete = new DeleteFiles(table, ExpressionParser.Parse(filter, table.Schema));
        delete.ToBranch(branch);
        foreach (var (k, v) in properties ?? new Dictionary<string, string>()) delete.Set(k, v);
        var snapshot = delete.Commit();
        return new DeleteResult(snapshot.SnapshotId, delete.DeletedFiles, snapshot.Summary);
    }
}
