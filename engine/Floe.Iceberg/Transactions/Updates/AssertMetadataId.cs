using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// The REST spec's requirements that one id of the metadata is still what the writer saw:
/// <c>assert-current-schema-id</c>, <c>assert-last-assigned-field-id</c>, <c>assert-last-assigned-partition-id</c>,
/// <c>assert-default-spec-id</c>, <c>assert-default-sort-order-id</c>. Floe's own writers do not send them; other
/// engines' clients do, and Floe's REST server must check them.
/// </summary>
public sealed record AssertMetadataId(string RequirementType, long Expected) : TableRequirement
{
    /// <summary>The requirement types this record stands for, with the JSON field each carries.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldByType = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["assert-current-schema-id"] = "current-schema-id",
        ["assert-last-assigned-field-id"] = "last-assigned-field-id",
        ["assert-last-assigned-partition-id"] = "last-assigned-partition-id",
        ["assert-default-spec-id"] = "default-spec-id",
        ["assert-default-sort-order-id"] = "default-sort-order-id",
    };

    /// <inheritdoc />
    public override string Type => RequirementType;

    /// <inheritdoc />
    public override void Check(TableMetadata metadata, string table)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        long actual = RequirementType switch
        {
            "assert-current-schema-id" => metadata.CurrentSchemaId,
            "assert-last-assigned-field-id" => metadata.LastColumnId,
            "assert-last-assigned-partition-id" => metadata.LastPartitionId,
            "assert-default-spec-id" => metadata.DefaultSpecId,
            "assert-default-sort-order-id" => metadata.DefaultSortOrderId,
            _ => throw Errors.InvalidArgument($"unknown requirement type '{RequirementType}'"),
        };
        if (actual != Expected)
        {
            throw Errors.CommitConflict($"table '{table}': {FieldByType[RequirementType]} is {actual}, the commit expected {Expected}");
        }
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber(FieldByType[RequirementType], Expected);
    }
}
