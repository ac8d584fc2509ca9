using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// A catalog that applies a commit's updates itself (an Iceberg REST catalog): the writer sends the requirements
/// and updates, the catalog checks them against its current metadata, writes the next metadata file and moves the
/// pointer. <see cref="Tables.TableOperations"/> hands such a catalog the commit instead of writing the file and
/// compare-and-swapping the pointer itself.
/// </summary>
public interface IUpdatingCatalog
{
    /// <summary>
    /// Commits <paramref name="commit"/> to <paramref name="id"/>; returns the new metadata and its location.
    /// A failed requirement (or another writer winning) is a retryable CommitConflict.
    /// </summary>
    (TableMetadata Metadata, string Location) CommitTable(TableIdentifier id, TableCommit commit, int formatVersion);

    /// <summary>
    /// The metadata at <paramref name="location"/> when the catalog's last answer for <paramref name="id"/> carried it
    /// (a REST loadTable sends the metadata with its location), so the caller need not read the file; otherwise null.
    /// </summary>
    TableMetadata? LoadedMetadata(TableIdentifier id, string location);
}
