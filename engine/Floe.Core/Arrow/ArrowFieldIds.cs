namespace Floe.Core.Arrow;

/// <summary>
/// Where an Arrow field carries its Iceberg field id: the field metadata entry <see cref="Key"/>, as pyarrow writes it.
/// Kept here, below both the feature engine and the Iceberg library, so the engine can label its output columns
/// without knowing Iceberg.
/// </summary>
public static class ArrowFieldIds
{
    /// <summary>The Arrow field metadata key holding the Iceberg field id.</summary>
    public const string Key = "PARQUET:field_id";
}
