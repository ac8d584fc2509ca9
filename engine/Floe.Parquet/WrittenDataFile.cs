namespace Floe.Parquet;

/// <summary>A finished data file: where it is and its Iceberg metrics.</summary>
public sealed record WrittenDataFile(string Location, ParquetFileMetrics Metrics);
