using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Parquet;

/// <summary>
/// The Iceberg metrics of a written Parquet file, keyed by field id. Bounds are CLR values in the engine's
/// representation (see <see cref="PrimitiveType"/>); string/binary bounds are already truncated
/// (<c>truncate(16)</c>). Serialize them with <see cref="Conversions.ToBytes"/> or use <see cref="ToDataFile"/>.
/// </summary>
public sealed record ParquetFileMetrics(
    long RecordCount,
    long FileSizeInBytes,
    IReadOnlyDictionary<int, long> ColumnSizes,
    IReadOnlyDictionary<int, long> ValueCounts,
    IReadOnlyDictionary<int, long> NullValueCounts,
    IReadOnlyDictionary<int, long> NanValueCounts,
    IReadOnlyDictionary<int, object> LowerBounds,
    IReadOnlyDictionary<int, object> UpperBounds,
    IReadOnlyList<long> SplitOffsets)
{
    /// <summary>
    /// A data-file record for these metrics, bounds serialized with <see cref="Conversions.ToBytes"/> using the field
    /// types of <paramref name="schema"/>.
    /// </summary>
    public DataFile ToDataFile(string filePath, Schema schema, PartitionData partition, int specId, int? sortOrderId = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new DataFile
        {
            FilePath = filePath,
            Partition = partition,
            SpecId = specId,
            RecordCount = RecordCount,
            FileSizeInBytes = FileSizeInBytes,
            ColumnSizes = ColumnSizes,
            ValueCounts = ValueCounts,
            NullValueCounts = NullValueCounts,
            NanValueCounts = NanValueCounts,
            LowerBounds = Serialize(LowerBounds, schema),
            UpperBounds = Serialize(UpperBounds, schema),
            SplitOffsets = SplitOffsets,
            SortOrderId = sortOrderId,
        };
    }

    private static Dictionary<int, byte[]> Serialize(IReadOnlyDictionary<int, object> bounds, Schema schema)
    {
        var result = new Dictionary<int, byte[]>(bounds.Count);
        foreach (var (id, value) in bounds)
        {
            if (schema.FindField(id)?.Type is PrimitiveType type)
            {
                result[id] = Conversions.ToBytes(type, value);
            }
        }
        return result;
    }
}
