using Floe.Core.Types;
using Floe.Parquet;

namespace Floe.Iceberg.Spec;

/// <summary>Turns what the Parquet writer measured into Iceberg data-file records.</summary>
public static class DataFileMetrics
{
    /// <summary>
    /// A data-file record for the metrics of a written Parquet file, bounds serialized with <see cref="Conversions.ToBytes"/> using the field
    /// types of <paramref name="schema"/>.
    /// </summary>
    public static DataFile ToDataFile(this ParquetFileMetrics metrics, string filePath, Schema schema, PartitionData partition, int specId, int? sortOrderId = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(schema);
        return new DataFile
        {
            FilePath = filePath,
            Partition = partition,
            SpecId = specId,
            RecordCount = metrics.RecordCount,
            FileSizeInBytes = metrics.FileSizeInBytes,
            ColumnSizes = metrics.ColumnSizes,
            ValueCounts = metrics.ValueCounts,
            NullValueCounts = metrics.NullValueCounts,
            NanValueCounts = metrics.NanValueCounts,
            LowerBounds = Serialize(metrics.LowerBounds, schema),
            UpperBounds = Serialize(metrics.UpperBounds, schema),
            SplitOffsets = metrics.SplitOffsets,
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
