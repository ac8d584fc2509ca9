using System.Globalization;
using Floe.Core.Errors;
using Floe.Avro;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Writes one manifest (spec "Manifests") for one partition spec: the <c>manifest_entry</c> Avro schema of the
/// format version with every field id, the partition record built from the spec's result types, deflate blocks, and
/// the key-value metadata Java writes (<c>schema</c>, <c>schema-id</c>, <c>partition-spec</c>,
/// <c>partition-spec-id</c>, <c>format-version</c>, <c>content</c>). Entries are buffered in memory and the file is
/// written atomically by <see cref="Close"/>; not one byte appears at <c>location</c> before that.
/// </summary>
/// <remarks>
/// New files are written as Java does: ADDED entries carry this writer's snapshot id and null sequence numbers
/// ("inherit"). The returned <see cref="ManifestFile"/> therefore has
/// <see cref="UnassignedSequenceNumber"/> as its sequence number (and as its minimum sequence number when no live
/// entry has an explicit one); <see cref="ManifestListWriter"/> replaces it with the commit's sequence number.
/// One writer belongs to one thread.
/// </remarks>
public sealed class ManifestWriter : IDisposable
{
    /// <summary>Placeholder sequence number of a manifest not yet in a manifest list (Java's <c>UNASSIGNED_SEQ</c>).</summary>
    public const long UnassignedSequenceNumber = -1;

    /// <summary>The <c>block_size_in_bytes</c> written in v1 manifests (the spec says to write a default).</summary>
    private const long V1BlockSize = 64L * 1024 * 1024;

    private readonly IFileIO _io;
    private readonly PartitionSpec _spec;
    private readonly int _formatVersion;
    private readonly long _snapshotId;
    private readonly ManifestContent _content;
    private readonly PrimitiveType[] _partitionTypes;
    private readonly PartitionSummaryBuilder[] _summaries;
    private readonly MemoryStream _buffer = new();
    private readonly AvroContainerWriter _writer;
    private int _addedFiles, _existingFiles, _deletedFiles;
    private long _addedRows, _existingRows, _deletedRows;
    private long? _minSequenceNumber;
    private bool _closed;

    /// <summary>
    /// Starts a manifest at <paramref name="location"/>. <paramref name="schemaJson"/> is the table schema's JSON
    /// and <paramref name="specFieldsJson"/> the JSON array of the spec's fields (Appendix C), stored as metadata.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument for a format version other than 1–3, a v1 delete manifest, or a
    /// partition field whose source column is not a primitive column of <paramref name="schema"/>.</exception>
    public ManifestWriter(
        IFileIO io,
        string location,
        PartitionSpec spec,
        Schema schema,
        int formatVersion,
        long snapshotId,
        ManifestContent content,
        string schemaJson,
        string specFieldsJson)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(schemaJson);
        ArgumentNullException.ThrowIfNull(specFieldsJson);
        if (formatVersion is < 1 or > 3) throw Errors.InvalidArgument($"{location}: unsupported format version {formatVersion} (1, 2 or 3)");
        if (formatVersion == 1 && content == ManifestContent.Deletes) throw Errors.InvalidArgument($"{location}: format version 1 has no delete manifests");
        _io = io;
        Location = location;
        _spec = spec;
        _formatVersion = formatVersion;
        _snapshotId = snapshotId;
        _content = content;

        _partitionTypes = new PrimitiveType[spec.Fields.Count];
        _summaries = new PartitionSummaryBuilder[spec.Fields.Count];
        var partitionFields = new AvroField[spec.Fields.Count];
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var field = spec.Fields[i];
            var type = ResultType(schema, field, location);
            _partitionTypes[i] = type;
            _summaries[i] = new PartitionSummaryBuilder(type);
            partitionFields[i] = AvroField.Optional(PartitionValueCodec.AvroName(field.Name), PartitionValueCodec.ToAvroSchema(type), field.FieldId);
        }
        var avroSchema = ManifestSchemas.ManifestEntry(formatVersion, new AvroRecordSchema("r102", null, partitionFields));

        var metadata = new List<KeyValuePair<string, string>>
        {
            new("schema", schemaJson),
            new("schema-id", schema.SchemaId.ToString(CultureInfo.InvariantCulture)),
            new("partition-spec", specFieldsJson),
            new("partition-spec-id", spec.SpecId.ToString(CultureInfo.InvariantCulture)),
            new("format-version", formatVersion.ToString(CultureInfo.InvariantCulture)),
        };
        if (formatVersion >= 2) metadata.Add(new("content", content == ManifestContent.Data ? "data" : "deletes"));
        _writer = new AvroContainerWriter(_buffer, avroSchema, AvroCodec.Deflate, metadata);
    }

    /// <summary>Where the manifest is written.</summary>
    public string Location { get; }

    /// <summary>Entries written so far.</summary>
    public int EntryCount => _addedFiles + _existingFiles + _deletedFiles;

    /// <summary>Adds a file new in this snapshot: ADDED, this writer's snapshot id, sequence numbers inherited.</summary>
    /// <exception cref="FloeException">InvalidArgument when the file does not fit this manifest (content, partition tuple).</exception>
    public void Add(DataFile file) => Write(ManifestEntryStatus.Added, _snapshotId, null, null, file);

    /// <summary>Adds a file new in this snapshot that keeps an older data sequence number (compaction rewrites).</summary>
    public void Add(DataFile file, long dataSequenceNumber) => Write(ManifestEntryStatus.Added, _snapshotId, dataSequenceNumber, null, file);

    /// <summary>Carries a live file over from an earlier manifest: EXISTING, with the snapshot and sequence numbers it had.</summary>
    public void AddExisting(DataFile file, long snapshotId, long dataSequenceNumber, long? fileSequenceNumber) =>
        Write(ManifestEntryStatus.Existing, snapshotId, dataSequenceNumber, fileSequenceNumber, file);

    /// <summary>Records that this snapshot removes a file: DELETED, this writer's snapshot id, the file's sequence numbers.</summary>
    public void AddDeleted(DataFile file, long dataSequenceNumber, long? fileSequenceNumber) =>
        Write(ManifestEntryStatus.Deleted, _snapshotId, dataSequenceNumber, fileSequenceNumber, file);

    /// <summary>Writes an entry as given (a null snapshot id of an ADDED entry becomes this writer's).</summary>
    /// <exception cref="FloeException">InvalidArgument when an EXISTING/DELETED entry of a v2+ manifest lacks its data sequence number, or the file does not fit.</exception>
    public void AddEntry(ManifestEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var snapshotId = entry.SnapshotId ?? (entry.Status == ManifestEntryStatus.Added ? _snapshotId : null);
        Write(entry.Status, snapshotId, entry.SequenceNumber, entry.FileSequenceNumber, entry.DataFile);
    }

    /// <summary>
    /// Writes the file and returns its manifest list entry: counts, length, partition summaries, and
    /// <see cref="UnassignedSequenceNumber"/> as the sequence number (see the remarks of the class).
    /// </summary>
    /// <exception cref="FloeException">AlreadyExists/CommitConflict or Io from <see cref="IFileIO.WriteAtomic"/>.</exception>
    public ManifestFile Close()
    {
        if (_closed) throw new InvalidOperationException($"manifest {Location} is already closed");
        _closed = true;
        _writer.Dispose();
        _io.WriteAtomic(Location, _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
        var summaries = new PartitionFieldSummary[_summaries.Length];
        for (var i = 0; i < summaries.Length; i++) summaries[i] = _summaries[i].Build();
        return new ManifestFile
        {
            ManifestPath = Location,
            ManifestLength = _buffer.Length,
            PartitionSpecId = _spec.SpecId,
            Content = _content,
            SequenceNumber = UnassignedSequenceNumber,
            MinSequenceNumber = _minSequenceNumber ?? UnassignedSequenceNumber,
            AddedSnapshotId = _snapshotId,
            AddedFilesCount = _addedFiles,
            ExistingFilesCount = _existingFiles,
            DeletedFilesCount = _deletedFiles,
            AddedRowsCount = _addedRows,
            ExistingRowsCount = _existingRows,
            DeletedRowsCount = _deletedRows,
            Partitions = summaries,
        };
    }

    /// <summary>Abandons an unclosed manifest (nothing is written).</summary>
    public void Dispose()
    {
        _closed = true;
        _buffer.Dispose();
    }

    private void Write(ManifestEntryStatus status, long? snapshotId, long? sequenceNumber, long? fileSequenceNumber, DataFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (_closed) throw new InvalidOperationException($"manifest {Location} is closed");
        Validate(status, snapshotId, sequenceNumber, file);

        var e = _writer.Encoder;
        var mark = e.Length;
        try
        {
            e.WriteInt((int)status);
            e.WriteOptional(snapshotId);
            if (_formatVersion >= 2)
            {
                e.WriteOptional(sequenceNumber);
                e.WriteOptional(fileSequenceNumber);
            }
            WriteDataFile(e, file);
        }
        catch
        {
            e.Truncate(mark);
            throw;
        }
        _writer.EndDatum();

        switch (status)
        {
            case ManifestEntryStatus.Added:
                _addedFiles++;
                _addedRows += file.RecordCount;
                break;
            case ManifestEntryStatus.Existing:
                _existingFiles++;
                _existingRows += file.RecordCount;
                break;
            default:
                _deletedFiles++;
                _deletedRows += file.RecordCount;
                break;
        }
        if (status != ManifestEntryStatus.Deleted && sequenceNumber is { } seq && (_minSequenceNumber is null || seq < _minSequenceNumber))
        {
            _minSequenceNumber = seq;
        }
        // Java counts the partitions of every entry, deleted ones included, in the summaries.
        for (var i = 0; i < _summaries.Length; i++) _summaries[i].Add(file.Partition[i]);
    }

    private void Validate(ManifestEntryStatus status, long? snapshotId, long? sequenceNumber, DataFile file)
    {
        var isData = file.Content == FileContent.Data;
        if (isData != (_content == ManifestContent.Data))
        {
            throw Errors.InvalidArgument($"{file.FilePath}: a {file.Content} file cannot go in the {_content.ToString().ToLowerInvariant()} manifest {Location}");
        }
        if (file.Partition.Count != _spec.Fields.Count)
        {
            throw Errors.InvalidArgument($"{file.FilePath}: partition tuple has {file.Partition.Count} values but spec {_spec.SpecId} has {_spec.Fields.Count} fields");
        }
        if (_formatVersion == 1 && snapshotId is null)
        {
            throw Errors.InvalidArgument($"{file.FilePath}: v1 manifest entries need a snapshot id");
        }
        if (_formatVersion >= 2 && status != ManifestEntryStatus.Added && sequenceNumber is null)
        {
            throw Errors.InvalidArgument($"{file.FilePath}: a {status.ToString().ToUpperInvariant()} entry must carry its data sequence number");
        }
    }

    private void WriteDataFile(AvroEncoder e, DataFile file)
    {
        if (_formatVersion >= 2) e.WriteInt((int)file.Content);
        e.WriteString(file.FilePath);
        e.WriteString(file.FileFormat);
        for (var i = 0; i < _partitionTypes.Length; i++)
        {
            var value = file.Partition[i];
            if (value is null)
            {
                e.WriteUnionIndex(0);
                continue;
            }
            e.WriteUnionIndex(1);
            if (!PartitionValueCodec.TryWrite(e, _partitionTypes[i], value))
            {
                throw Errors.InvalidArgument($"{file.FilePath}: partition field '{_spec.Fields[i].Name}' holds {value} ({value.GetType().Name}), not a {_partitionTypes[i]} value");
            }
        }
        e.WriteLong(file.RecordCount);
        e.WriteLong(file.FileSizeInBytes);
        if (_formatVersion == 1) e.WriteLong(V1BlockSize);
        WriteCounts(e, file.ColumnSizes);
        WriteCounts(e, file.ValueCounts);
        WriteCounts(e, file.NullValueCounts);
        WriteCounts(e, file.NanValueCounts);
        WriteBounds(e, file.LowerBounds);
        WriteBounds(e, file.UpperBounds);
        e.WriteOptional(file.KeyMetadata);
        if (file.SplitOffsets is null)
        {
            e.WriteUnionIndex(0);
        }
        else
        {
            e.WriteUnionIndex(1);
            e.WriteBlockStart(file.SplitOffsets.Count);
            foreach (var offset in file.SplitOffsets) e.WriteLong(offset);
            e.WriteBlockEnd();
        }
        if (_formatVersion >= 2)
        {
            if (file.EqualityIds is null)
            {
                e.WriteUnionIndex(0);
            }
            else
            {
                e.WriteUnionIndex(1);
                e.WriteBlockStart(file.EqualityIds.Count);
                foreach (var id in file.EqualityIds) e.WriteInt(id);
                e.WriteBlockEnd();
            }
        }
        e.WriteOptional(file.SortOrderId);
        if (_formatVersion >= 3) e.WriteOptional(file.FirstRowId);
        if (_formatVersion >= 2) e.WriteOptional(file.ReferencedDataFile);
        if (_formatVersion >= 3)
        {
            e.WriteOptional(file.ContentOffset);
            e.WriteOptional(file.ContentSizeInBytes);
        }
    }



    private static void WriteCounts(AvroEncoder e, IReadOnlyDictionary<int, long>? map)
    {
        if (map is null)
        {
            e.WriteUnionIndex(0);
            return;
        }
        e.WriteUnionIndex(1);
        e.WriteBlockStart(map.Count);
        foreach (var (key, value) in map)
        {
            e.WriteInt(key);
            e.WriteLong(value);
        }
        e.WriteBlockEnd();
    }

    private static void WriteBounds(AvroEncoder e, IReadOnlyDictionary<int, byte[]>? map)
    {
        if (map is null)
        {
            e.WriteUnionIndex(0);
            return;
        }
        e.WriteUnionIndex(1);
        e.WriteBlockStart(map.Count);
        foreach (var (key, value) in map)
        {
            e.WriteInt(key);
            e.WriteBytes(value);
        }
        e.WriteBlockEnd();
    }

    private static PrimitiveType ResultType(Schema schema, PartitionField field, string location)
    {
        if (schema.FindField(field.SourceId)?.Type is PrimitiveType source) return field.Transform.ResultType(source);
        // A void field may outlive its dropped source column; its values are always null.
        if (field.Transform.Kind == TransformKind.Void) return PrimitiveType.Int;
        throw Errors.InvalidArgument($"{location}: partition field '{field.Name}' refers to source column {field.SourceId}, which is not a primitive column of schema {schema.SchemaId}");
    }
}
