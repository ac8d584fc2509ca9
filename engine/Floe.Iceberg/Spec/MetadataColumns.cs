using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>
/// The reserved metadata columns of row lineage (spec "Reserved Field IDs", "Row Lineage"): <c>_row_id</c> and
/// <c>_last_updated_sequence_number</c>. A scan can select them by name; a rewrite writes them into data files so
/// rows keep their lineage when they move.
/// </summary>
public static class MetadataColumns
{
    /// <summary>Field id of <c>_row_id</c>.</summary>
    public const int RowIdFieldId = 2147483540;

    /// <summary>Field id of <c>_last_updated_sequence_number</c>.</summary>
    public const int LastUpdatedSequenceNumberFieldId = 2147483539;

    /// <summary><c>_row_id</c>: a unique long per row, inherited from the file's first_row_id plus the row position.</summary>
    public static NestedField RowId { get; } = new(RowIdFieldId, "_row_id", false, PrimitiveType.Long);

    /// <summary><c>_last_updated_sequence_number</c>: the sequence number of the commit that last changed the row.</summary>
    public static NestedField LastUpdatedSequenceNumber { get; } =
        new(LastUpdatedSequenceNumberFieldId, "_last_updated_sequence_number", false, PrimitiveType.Long);

    /// <summary>The row lineage column named <paramref name="name"/>, or null.</summary>
    public static NestedField? RowLineage(string name) =>
        name == RowId.Name ? RowId : name == LastUpdatedSequenceNumber.Name ? LastUpdatedSequenceNumber : null;

    /// <summary>Whether <paramref name="fieldId"/> is a row lineage column.</summary>
    public static bool IsRowLineage(int fieldId) => fieldId is RowIdFieldId or LastUpdatedSequenceNumberFieldId;
}
