using Floe.Parquet.Reading;
using Floe.Core.Types;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet;

public sealed partial class ParquetDataReader
{
    /// <summary>
    /// The statistics of row group <paramref name="index"/>, so a table format's metrics evaluators can prune or prove
    /// row groups: record count, null counts and the
    /// footer's min/max for the top-level numeric and date columns of <see cref="Projection"/> whose Parquet plain
    /// encoding is Iceberg's single-value serialisation. Columns without usable statistics get no bounds (unknown).
    /// </summary>
    public RowGroupStatistics RowGroupMetrics(int index)
    {
        var rowGroup = _metadata.RowGroups[index];
        var nulls = new Dictionary<int, long>();
        var lower = new Dictionary<int, byte[]>();
        var upper = new Dictionary<int, byte[]>();
        var probe = new ColumnAssembler(new Dictionary<int, LeafColumn>(), _byId);
        foreach (var field in Projection.Fields)
        {
            if (field.Type is not PrimitiveType type || _constants.ContainsKey(field.Id)) continue;
            if (probe.Match(_root, field) is not { IsLeaf: true, RepetitionLevel: 0 } leaf || leaf.LeafIndex >= rowGroup.Columns.Count) continue;
            if (rowGroup.Columns[leaf.LeafIndex].MetaData?.Statistics is not { } stats) continue;
            if (stats.NullCount is { } nullCount) nulls[field.Id] = nullCount;
            if (stats.MinValue is { } min && stats.MaxValue is { } max && SameSerialisation(leaf, type, min.Length) && max.Length == min.Length
                && !IsNaN(leaf, min) && !IsNaN(leaf, max))
            {
                lower[field.Id] = min;
                upper[field.Id] = max;
            }
        }
        return new RowGroupStatistics(rowGroup.NumRows, nulls, lower, upper);
    }

    // Only plain little-endian numbers whose Iceberg type reads them unconverted (no unsigned, decimal, time units).
    private static bool SameSerialisation(FileSchemaNode leaf, PrimitiveType type, int length)
    {
        var e = leaf.Element;
        if (e.LogicalType is not null || e.ConvertedType is not null)
        {
            var dateOnly = e.LogicalType?.DATE is not null || e.ConvertedType == global::Parquet.Meta.ConvertedType.DATE;
            var signed = e.LogicalType?.INTEGER is { IsSigned: true } && e.ConvertedType is null or global::Parquet.Meta.ConvertedType.INT_32 or global::Parquet.Meta.ConvertedType.INT_64;
            if (!(dateOnly && type.Id == TypeId.Date) && !signed) return false;
        }
        return (e.Type, type.Id, length) switch
        {
            (ParquetType.INT32, TypeId.Int or TypeId.Date, 4) => true,
            (ParquetType.INT64, TypeId.Long, 8) => true,
            (ParquetType.DOUBLE, TypeId.Double, 8) => true,
            (ParquetType.FLOAT, TypeId.Float, 4) => true,
            _ => false,
        };
    }

    private static bool IsNaN(FileSchemaNode leaf, byte[] value) => leaf.Element.Type switch
    {
        ParquetType.DOUBLE => double.IsNaN(BitConverter.ToDouble(value)),
        ParquetType.FLOAT => float.IsNaN(BitConverter.ToSingle(value)),
        _ => false,
    };
}
