using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// A catalog maps table names to their current metadata file. A commit is an atomic compare-and-swap of that
/// pointer; everything else about a table lives in its metadata files.
/// </summary>
public interface ICatalog
{
    /// <summary>The catalog's name (the <c>catalog_name</c> column of the JDBC layout).</summary>
    string Name { get; }

    /// <summary>Creates a namespace; throws AlreadyExists when it exists.</summary>
    void CreateNamespace(string ns, IReadOnlyDictionary<string, string>? properties = null);

    /// <summary>True when the namespace exists.</summary>
    bool NamespaceExists(string ns);

    /// <summary>All namespaces.</summary>
    IReadOnlyList<string> ListNamespaces();

    /// <summary>The namespace's properties.</summary>
    IReadOnlyDictionary<string, string> LoadNamespaceProperties(string ns);

    /// <summary>
    /// Sets <paramref name="updates"/> and removes <paramref name="removals"/> on a namespace's properties in one
    /// transaction; returns the removal keys that were not there. Throws NotFound for a missing namespace.
    /// </summary>
    IReadOnlyList<string> UpdateNamespaceProperties(string ns, IReadOnlyDictionary<string, string> updates, IReadOnlyList<string> removals);

    /// <summary>Drops an empty namespace.</summary>
    void DropNamespace(string ns);

    /// <summary>Tables of a namespace (all namespaces when null).</summary>
    IReadOnlyList<TableIdentifier> ListTables(string? ns = null);

    /// <summary>The current metadata location of a table; throws NotFound.</summary>
    string LoadMetadataLocation(TableIdentifier id);

    /// <summary>True when the table exists.</summary>
    bool TableExists(TableIdentifier id);

    /// <summary>Records a new table pointing at <paramref name="metadataLocation"/>; throws AlreadyExists.</summary>
    void CreateTableEntry(TableIdentifier id, string metadataLocation);

    /// <summary>
    /// Atomically moves the table's pointer from <paramref name="expectedMetadataLocation"/> to
    /// <paramref name="newMetadataLocation"/>; throws CommitConflict when another commit moved it first.
    /// </summary>
    void SwapMetadataLocation(TableIdentifier id, string expectedMetadataLocation, string newMetadataLocation);

    /// <summary>
    /// Renames the table's entry (its files stay where they are, as Iceberg's rename does); NotFound for a missing
    /// source, AlreadyExists for an existing destination.
    /// </summary>
    void RenameTable(TableIdentifier from, TableIdentifier to);

    /// <summary>Removes the table's entry (files are the caller's business).</summary>
    void DropTableEntry(TableIdentifier id);

    /// <summary>The default location for a new table's files.</summary>
    string DefaultTableLocation(TableIdentifier id);
}
