using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// <c>upgrade-format-version</c>: raises the table's format version. The same version is a no-op; a lower one is
/// refused (the spec has no downgrades). Upgrading to v3 starts row lineage with <c>next-row-id</c> 0 and leaves
/// existing snapshots as they are (spec "Row Lineage for Upgraded Tables").
/// </summary>
public sealed record UpgradeFormatVersion(int FormatVersion) : TableUpdate
{
    /// <summary>The newest format version Floe upgrades to.</summary>
    public const int MaxFormatVersion = 3;

    /// <inheritdoc />
    public override string Action => "upgrade-format-version";

    /// <inheritdoc />
    /// <exception cref="FloeException">InvalidArgument for a downgrade; Unsupported above v3.</exception>
    public override TableMetadata Apply(TableMetadata metadata, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (FormatVersion > MaxFormatVersion)
        {
            throw Errors.Unsupported($"format-version {FormatVersion}: Floe upgrades tables to format v{MaxFormatVersion} at most");
        }
        if (FormatVersion < metadata.FormatVersion)
        {
            throw Errors.InvalidArgument($"format-version {FormatVersion}: cannot downgrade a format v{metadata.FormatVersion} table");
        }
        if (FormatVersion == metadata.FormatVersion) return metadata;
        return metadata with
        {
            FormatVersion = FormatVersion,
            NextRowId = FormatVersion >= 3 ? metadata.NextRowId ?? 0 : metadata.NextRowId,
            LastUpdatedMs = nowMs,
        };
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion) => writer.WriteNumber("format-version", FormatVersion);
}
