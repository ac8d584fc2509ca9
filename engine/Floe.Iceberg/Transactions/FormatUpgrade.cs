using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Upgrades a table's format version through a normal commit (an <c>upgrade-format-version</c> update under
/// <c>assert-table-uuid</c>, retried on conflicts like any other commit).
/// </summary>
public static class FormatUpgrade
{
    /// <summary>
    /// Upgrades <paramref name="table"/> to <paramref name="formatVersion"/>; returns the committed metadata. A table
    /// already at that version is left as it is (nothing is written).
    /// </summary>
    /// <exception cref="Core.Errors.FloeException">InvalidArgument for a downgrade; Unsupported above the newest version Floe writes.</exception>
    public static TableMetadata Commit(Table table, int formatVersion)
    {
        ArgumentNullException.ThrowIfNull(table);
        var update = new UpgradeFormatVersion(formatVersion);
        return MetadataCommit.Commit(table, (metadata, now) => update.Apply(metadata, now));
    }
}
