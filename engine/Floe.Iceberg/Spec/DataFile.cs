using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>What a content file holds.</summary>
public enum FileContent
{
    /// <summary>Data rows.</summary>
    Data = 0,
    /// <summary>Position deletes (file_path, pos).</summary>
    PositionDeletes = 1,
    /// <summary>Equality deletes on <see cref="DataFile.EqualityIds"/>.</summary>
    EqualityDeletes = 2,
}

/// <summary>
/// A data or delete file as recorded in a manifest (the spec's <c>data_file</c> struct).
/// <see cref="Partition"/> is ordered as the fields of spec <see cref="SpecId"/>.
/// Bounds are the spec's single-value binary serialization, keyed by field id.
/// </summary>
public sealed record DataFile
{
    /// <summary>content</summary>
    public FileContent Content { get; init; } = FileContent.Data;
    /// <summary>file_path: the full location as written in the manifest.</summary>
    public required string FilePath { get; init; }
    /// <summary>file_format: PARQUET, AVRO or ORC.</summary>
    public string FileFormat { get; init; } = "PARQUET";
    /// <summary>The spec id the partition tuple belongs to (the manifest's spec).</summary>
    public int SpecId { get; init; }
    /// <summary>partition: the partition tuple.</summary>
    public required PartitionData Partition { get; init; }
    /// <summary>record_count</summary>
    public long RecordCount { get; init; }
    /// <summary>file_size_in_bytes</summary>
    public long FileSizeInBytes { get; init; }
    /// <summary>column_sizes</summary>
    public IReadOnlyDictionary<int, long>? ColumnSizes { get; init; }
    /// <summary>value_counts</summary>
    public IReadOnlyDictionary<int, long>? ValueCounts { get; init; }
    /// <summary>null_value_counts</summary>
    public IReadOnlyDictionary<int, long>? NullValueCounts { get; init; }
    /// <summary>nan_value_counts</summary>
    public IReadOnlyDictionary<int, long>? NanValueCounts { get; init; }
    /// <summary>lower_bounds</summary>
    public IReadOnlyDictionary<int, byte[]>? LowerBounds { get; init; }
    /// <summary>upper_bounds</summary>
    public IReadOnlyDictionary<int, byte[]>? UpperBounds { get; init; }
    /// <summary>key_metadata</summary>
    public byte[]? KeyMetadata { get; init; }
    /// <summary>split_offsets</summary>
    public IReadOnlyList<long>? SplitOffsets { get; init; }
    /// <summary>equality_ids (equality delete files)</summary>
    public IReadOnlyList<int>? EqualityIds { get; init; }
    /// <summary>sort_order_id</summary>
    public int? SortOrderId { get; init; }
    /// <summary>referenced_data_file (v3 / position deletes scoped to one file)</summary>
    public string? ReferencedDataFile { get; init; }
    /// <summary>first_row_id (v3 row lineage): the _row_id of the file's first row, or null to inherit.</summary>
    public long? FirstRowId { get; init; }
    /// <summary>content_offset (v3 deletion vectors): offset of the blob in the Puffin file.</summary>
    public long? ContentOffset { get; init; }
    /// <summary>content_size_in_bytes (v3 deletion vectors): length of the blob.</summary>
    public long? ContentSizeInBytes { get; init; }
}

/// <summary>Status of a manifest entry.</summary>
public enum ManifestEntryStatus
{
    /// <summary>0: existing</summary>
    Existing = 0,
    /// <summary>1: added</summary>
    Added = 1,
    /// <summary>2: deleted</summary>
    Deleted = 2,
}

/// <summary>
/// A manifest entry. Sequence numbers may be null in the file ("inherit"); readers fill them from the manifest
/// list entry as the spec says (added entries inherit the manifest's sequence number, v1 data gets 0).
/// </summary>
public sealed record ManifestEntry(
    ManifestEntryStatus Status,
    long? SnapshotId,
    long? SequenceNumber,
    long? FileSequenceNumber,
    DataFile DataFile);

/// <summary>Summary of one partition field over all files of a manifest (manifest list <c>partitions</c>).</summary>
public sealed record PartitionFieldSummary(bool ContainsNull, bool? ContainsNan, byte[]? LowerBound, byte[]? UpperBound);

/// <summary>What a manifest tracks.</summary>
public enum ManifestContent
{
    /// <summary>Data files.</summary>
    Data = 0,
    /// <summary>Delete files.</summary>
    Deletes = 1,
}

/// <summary>An entry of a manifest list (the spec's <c>manifest_file</c> struct).</summary>
public sealed record ManifestFile
{
    /// <summary>manifest_path</summary>
    public required string ManifestPath { get; init; }
    /// <summary>manifest_length</summary>
    public long ManifestLength { get; init; }
    /// <summary>partition_spec_id</summary>
    public int PartitionSpecId { get; init; }
    /// <summary>content</summary>
    public ManifestContent Content { get; init; } = ManifestContent.Data;
    /// <summary>sequence_number</summary>
    public long SequenceNumber { get; init; }
    /// <summary>min_sequence_number</summary>
    public long MinSequenceNumber { get; init; }
    /// <summary>added_snapshot_id</summary>
    public long AddedSnapshotId { get; init; }
    /// <summary>added_files_count</summary>
    public int? AddedFilesCount { get; init; }
    /// <summary>existing_files_count</summary>
    public int? ExistingFilesCount { get; init; }
    /// <summary>deleted_files_count</summary>
    public int? DeletedFilesCount { get; init; }
    /// <summary>added_rows_count</summary>
    public long? AddedRowsCount { get; init; }
    /// <summary>existing_rows_count</summary>
    public long? ExistingRowsCount { get; init; }
    /// <summary>deleted_rows_count</summary>
    public long? DeletedRowsCount { get; init; }
    /// <summary>partitions: one summary per field of the manifest's spec.</summary>
    public IReadOnlyList<PartitionFieldSummary>? Partitions { get; init; }
    /// <summary>key_metadata</summary>
    public byte[]? KeyMetadata { get; init; }
    /// <summary>first_row_id (v3): the first _row_id assigned to rows of ADDED data files, or null.</summary>
    public long? FirstRowId { get; init; }
}
