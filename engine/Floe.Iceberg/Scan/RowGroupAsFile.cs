using Floe.Iceberg.Spec;
using Floe.Parquet;

namespace Floe.Iceberg.Scan;

/// <summary>
/// One row group seen as a data file with only the footer's statistics, so the metrics evaluators that prune and
/// prove whole files can do the same for row groups.
/// </summary>
internal static class RowGroupAsFile
{
    /// <summary>
    /// <paramref name="file"/> with its counts and bounds replaced by those of one of its row groups; value, NaN and
    /// size counts are unknown at that level.
    /// </summary>
    public static DataFile Of(DataFile file, RowGroupStatistics stats) => file with
    {
        RecordCount = stats.RecordCount,
        NullValueCounts = stats.NullValueCounts,
        ValueCounts = null,
        NanValueCounts = null,
        ColumnSizes = null,
        LowerBounds = stats.LowerBounds,
        UpperBounds = stats.UpperBounds,
    };
}
