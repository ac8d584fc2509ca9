using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transforms;

namespace Floe.Application.Tables;

/// <summary>
/// Table administration over a warehouse: create, register, list, describe, drop, snapshot history.
/// The CLI and the C ABI both call this; neither holds logic of its own.
/// </summary>
public sealed class TableService
{
    /// <summary>Creates the service over <paramref name="warehouse"/>.</summary>
    public TableService(Warehouse warehouse) => Warehouse = warehouse;

    /// <summary>The warehouse.</summary>
    public Warehouse Warehouse { get; }

    /// <summary>Creates a table from the compact schema syntax and an optional partition syntax such as <c>day(event_time),bucket(16,id)</c>.</summary>
    public TableDescription Create(string name, string schemaText, string? partitionText = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        var id = TableIdentifier.Parse(name);
        var schema = SchemaText.Parse(schemaText);
        var spec = string.IsNullOrWhiteSpace(partitionText) ? PartitionSpec.Unpartitioned : PartitionSpecBuilder.Parse(partitionText, schema);
        return TableDescription.Of(Warehouse.CreateTable(id, schema, spec, ReservedTableProperties.WithoutReserved(properties)));
    }

    /// <summary>Registers an existing table by its metadata file; <paramref name="locationMap"/> maps foreign prefixes to local folders.</summary>
    public TableDescription Register(string name, string metadataFile, IReadOnlyList<(string From, string To)>? locationMap = null) =>
        TableDescription.Of(Warehouse.RegisterTable(TableIdentifier.Parse(name), metadataFile, locationMap));

    /// <summary>All tables.</summary>
    public IReadOnlyList<string> List() => Warehouse.Catalog.ListTables().Select(t => t.ToString()).ToList();

    /// <summary>Loads a table.</summary>
    public Table Load(string name) => Warehouse.LoadTable(TableIdentifier.Parse(name));

    /// <summary>Describes a table.</summary>
    public TableDescription Describe(string name) => TableDescription.Of(Load(name));

    /// <summary>
    /// Drops a table; <paramref name="purge"/> deletes exactly the files its metadata references too (a registered
    /// table's only with <paramref name="deleteRegisteredFiles"/>).
    /// </summary>
    public DropTableResult Drop(string name, bool purge, bool deleteRegisteredFiles = false) =>
        Warehouse.DropTable(TableIdentifier.Parse(name), purge, deleteRegisteredFiles);

    /// <summary>The table's snapshots, oldest first, with the refs pointing at each.</summary>
    public IReadOnlyList<SnapshotDescription> Snapshots(string name)
    {
        var metadata = Load(name).Metadata;
        return metadata.Snapshots
            .OrderBy(s => s.SequenceNumber).ThenBy(s => s.TimestampMs)
            .Select(s => SnapshotDescription.Of(s, metadata))
            .ToList();
    }

    /// <summary>Parses <c>FROM=TO</c> location-map arguments.</summary>
    public static IReadOnlyList<(string From, string To)> ParseLocationMap(IEnumerable<string> items) =>
        items.Select(item =>
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == item.Length - 1) throw Errors.InvalidArgument($"location map '{item}' must be FROM=TO");
            return (item[..eq], item[(eq + 1)..]);
        }).ToList();

    /// <summary>Parses <c>k=v</c> property arguments.</summary>
    public static IReadOnlyDictionary<string, string> ParseProperties(IEnumerable<string> items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw Errors.InvalidArgument($"property '{item}' must be key=value");
            result[item[..eq]] = item[(eq + 1)..];
        }
        return result;
    }
}
