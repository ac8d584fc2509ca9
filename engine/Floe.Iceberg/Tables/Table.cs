using Floe.Iceberg.Catalog;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tables;

/// <summary>
/// A loaded table: the metadata as of the last refresh plus the operations to change it.
/// A <see cref="Table"/> is a snapshot-in-time view; call <see cref="Refresh"/> to see later commits.
/// </summary>
public sealed class Table
{
    internal Table(TableOperations operations, TableMetadata metadata, string metadataLocation)
    {
        Operations = operations;
        Metadata = metadata;
        MetadataLocation = metadataLocation;
    }

    /// <summary>The table's name.</summary>
    public TableIdentifier Identifier => Operations.Identifier;

    /// <summary>The metadata as of the last load.</summary>
    public TableMetadata Metadata { get; private set; }

    /// <summary>Where <see cref="Metadata"/> was read from.</summary>
    public string MetadataLocation { get; private set; }

    /// <summary>Storage access.</summary>
    public IFileIO Io => Operations.Io;

    /// <summary>Metadata access and commits.</summary>
    public TableOperations Operations { get; }

    /// <summary>The current schema.</summary>
    public Schema Schema => Metadata.CurrentSchema;

    /// <summary>The default partition spec.</summary>
    public PartitionSpec Spec => Metadata.DefaultSpec;

    /// <summary>Reloads the metadata from the catalog.</summary>
    public Table Refresh()
    {
        (Metadata, MetadataLocation) = Operations.Refresh();
        return this;
    }

    internal void Update(TableMetadata metadata, string location)
    {
        Metadata = metadata;
        MetadataLocation = location;
    }
}
