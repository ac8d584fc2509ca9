using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary><c>assert-table-uuid</c>: the table is still the one the writer loaded (not dropped and re-created).</summary>
public sealed record AssertTableUuid(Guid Uuid) : TableRequirement
{
    /// <inheritdoc />
    public override string Type => "assert-table-uuid";

    /// <inheritdoc />
    public override void Check(TableMetadata metadata, string table)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.TableUuid != Uuid)
        {
            throw Errors.CommitConflict($"table '{table}' was replaced: its uuid is {metadata.TableUuid}, the commit expected {Uuid}");
        }
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer) => writer.WriteString("uuid", Uuid.ToString());
}
