using Floe.Core.Errors;
using Floe.Core.Io;

namespace Floe.Iceberg.Catalog;

/// <summary>Where a warehouse keeps a table it creates: one folder per namespace level, then the table.</summary>
public static class WarehouseLayout
{
    /// <summary>
    /// The folder of table <paramref name="id"/> under <paramref name="warehouse"/>, built by joining the identifier's
    /// checked parts and verified to stay inside the warehouse.
    /// </summary>
    public static string TableFolder(string warehouse, TableIdentifier id)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        ArgumentNullException.ThrowIfNull(id);
        var root = Path.GetFullPath(warehouse);
        var path = root;
        foreach (var level in id.NamespaceLevels) path = Path.Join(path, level);
        path = Path.GetFullPath(Path.Join(path, id.Name));
        if (!PathContainment.IsInside(root, path) || path == Path.TrimEndingDirectorySeparator(root))
        {
            throw Errors.InvalidArgument($"table '{id}' would be stored at '{path}', outside the warehouse '{root}'");
        }
        return path;
    }
}
