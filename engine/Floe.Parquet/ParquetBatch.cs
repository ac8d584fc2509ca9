using Apache.Arrow;

namespace Floe.Parquet;

/// <summary>
/// A batch read from a Parquet file plus the file position of its first row: row i of the batch is row
/// <c>FirstRowPosition + i</c> of the file (the <c>pos</c> that position deletes refer to).
/// </summary>
public sealed record ParquetBatch(RecordBatch Batch, long FirstRowPosition);
