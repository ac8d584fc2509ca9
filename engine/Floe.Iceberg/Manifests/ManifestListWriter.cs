using System.Globalization;
using Floe.Core.Errors;
using Floe.Avro;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Writes a snapshot's manifest list (spec "Manifest Lists") with the <c>manifest_file</c> schema of the format
/// version and the metadata Java writes (<c>snapshot-id</c>, <c>parent-snapshot-id</c>, <c>sequence-number</c>,
/// <c>format-version</c>). Manifests written by this commit still carry
/// <see cref="ManifestWriter.UnassignedSequenceNumber"/>; they get the commit's sequence number here. The file name
/// (<c>snap-&lt;id&gt;-&lt;attempt&gt;-&lt;uuid&gt;.avro</c>) is the caller's. The file is written atomically by
/// <see cref="Close"/>. One writer belongs to one thread.
/// </summary>
public sealed class ManifestListWriter : IDisposable
{
    private readonly IFileIO _io;
    private readonly int _formatVersion;
    private readonly long _snapshotId;
    private readonly long _sequenceNumber;
    private readonly MemoryStream _buffer = new();
    private readonly AvroContainerWriter _writer;
    private readonly List<ManifestFile> _written = new();
    private bool _closed;

    /// <summary>Starts the manifest list of snapshot <paramref name="snapshotId"/> committed with <paramref name="sequenceNumber"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument for a format version other than 1–3.</exception>
    public ManifestListWriter(IFileIO io, string location, int formatVersion, long snapshotId, long? parentSnapshotId, long sequenceNumber)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(location);
        if (formatVersion is < 1 or > 3) throw Errors.InvalidArgument($"{location}: unsupported format version {formatVersion} (1, 2 or 3)");
        _io = io;
        Location = location;
        _formatVersion = formatVersion;
        _snapshotId = snapshotId;
        _sequenceNumber = formatVersion == 1 ? 0 : sequenceNumber;
        var metadata = new List<KeyValuePair<string, string>>
        {
            new("snapshot-id", snapshotId.ToString(CultureInfo.InvariantCulture)),
            // Java writes String.valueOf(null) for a snapshot without parent.
            new("parent-snapshot-id", parentSnapshotId?.ToString(CultureInfo.InvariantCulture) ?? "null"),
        };
        if (formatVersion >= 2) metadata.Add(new("sequence-number", sequenceNumber.ToString(CultureInfo.InvariantCulture)));
        metadata.Add(new("format-version", formatVersion.ToString(CultureInfo.InvariantCulture)));
        _writer = new AvroContainerWriter(_buffer, ManifestSchemas.ManifestFile(formatVersion), AvroCodec.Deflate, metadata);
    }

    /// <summary>Where the list is written.</summary>
    public string Location { get; }

    /// <summary>The manifests written so far, as written (placeholders replaced).</summary>
    public IReadOnlyList<ManifestFile> Manifests => _written;

    /// <summary>Adds a manifest and returns it as written (with its sequence numbers assigned).</summary>
    /// <exception cref="FloeException">InvalidArgument when a manifest of another snapshot is unassigned, a v2+
    /// manifest lacks file/row counts, or a v1 list is given a delete manifest.</exception>
    public ManifestFile Add(ManifestFile manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (_closed) throw new InvalidOperationException($"manifest list {Location} is closed");
        var assigned = Assign(manifest);
        var e = _writer.Encoder;
        var mark = e.Length;
        try
        {
            WriteManifest(e, assigned);
        }
        catch
        {
            e.Truncate(mark);
            throw;
        }
        _writer.EndDatum();
        _written.Add(assigned);
        return assigned;
    }

    /// <summary>Adds every manifest in order.</summary>
    public void AddAll(IEnumerable<ManifestFile> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        foreach (var manifest in manifests) Add(manifest);
    }

    /// <summary>Writes the file; returns its length in bytes.</summary>
    /// <exception cref="FloeException">From <see cref="IFileIO.WriteAtomic"/> when the location exists or storage fails.</exception>
    public long Close()
    {
        if (_closed) throw new InvalidOperationException($"manifest list {Location} is already closed");
        _closed = true;
        _writer.Dispose();
        _io.WriteAtomic(Location, _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
        return _buffer.Length;
    }

    /// <summary>Abandons an unclosed list (nothing is written).</summary>
    public void Dispose()
    {
        _closed = true;
        _buffer.Dispose();
    }

    private ManifestFile Assign(ManifestFile manifest)
    {
        if (_formatVersion == 1)
        {
            if (manifest.Content != ManifestContent.Data) throw Errors.InvalidArgument($"{manifest.ManifestPath}: a v1 manifest list cannot hold delete manifests");
            return manifest with { SequenceNumber = 0, MinSequenceNumber = 0 };
        }
        var unassigned = manifest.SequenceNumber == ManifestWriter.UnassignedSequenceNumber ||
                         manifest.MinSequenceNumber == ManifestWriter.UnassignedSequenceNumber;
        if (!unassigned) return manifest;
        // Only this commit's own new manifests may still be unassigned (Java checks the same).
        if (manifest.AddedSnapshotId != _snapshotId)
        {
            throw Errors.InvalidArgument($"{manifest.ManifestPath}: unassigned sequence number on a manifest of snapshot {manifest.AddedSnapshotId}, not of {_snapshotId}");
        }
        return manifest with
        {
            SequenceNumber = manifest.SequenceNumber == ManifestWriter.UnassignedSequenceNumber ? _sequenceNumber : manifest.SequenceNumber,
            MinSequenceNumber = manifest.MinSequenceNumber == ManifestWriter.UnassignedSequenceNumber ? _sequenceNumber : manifest.MinSequenceNumber,
        };
    }

    private void WriteManifest(AvroEncoder e, ManifestFile m)
    {
        e.WriteString(m.ManifestPath);
        e.WriteLong(m.ManifestLength);
        e.WriteInt(m.PartitionSpecId);
        if (_formatVersion == 1)
        {
            e.WriteOptional(m.AddedSnapshotId);
            e.WriteOptional(m.AddedFilesCount);
            e.WriteOptional(m.ExistingFilesCount);
            e.WriteOptional(m.DeletedFilesCount);
            WritePartitions(e, m.Partitions);
            e.WriteOptional(m.AddedRowsCount);
            e.WriteOptional(m.ExistingRowsCount);
            e.WriteOptional(m.DeletedRowsCount);
            return;
        }
        e.WriteInt((int)m.Content);
        e.WriteLong(m.SequenceNumber);
        e.WriteLong(m.MinSequenceNumber);
        e.WriteLong(m.AddedSnapshotId);
        e.WriteInt(Required(m, m.AddedFilesCount, "added_files_count"));
        e.WriteInt(Required(m, m.ExistingFilesCount, "existing_files_count"));
        e.WriteInt(Required(m, m.DeletedFilesCount, "deleted_files_count"));
        e.WriteLong(Required(m, m.AddedRowsCount, "added_rows_count"));
        e.WriteLong(Required(m, m.ExistingRowsCount, "existing_rows_count"));
        e.WriteLong(Required(m, m.DeletedRowsCount, "deleted_rows_count"));
        WritePartitions(e, m.Partitions);
        if (m.KeyMetadata is null)
        {
            e.WriteUnionIndex(0);
        }
        else
        {
            e.WriteUnionIndex(1);
            e.WriteBytes(m.KeyMetadata);
        }
        if (_formatVersion >= 3) e.WriteOptional(m.FirstRowId);
    }

    private static void WritePartitions(AvroEncoder e, IReadOnlyList<PartitionFieldSummary>? partitions)
    {
        if (partitions is null)
        {
            e.WriteUnionIndex(0);
            return;
        }
        e.WriteUnionIndex(1);
        e.WriteBlockStart(partitions.Count);
        foreach (var p in partitions)
        {
            e.WriteBoolean(p.ContainsNull);
            if (p.ContainsNan is { } nan)
            {
                e.WriteUnionIndex(1);
                e.WriteBoolean(nan);
            }
            else
            {
                e.WriteUnionIndex(0);
            }
            e.WriteOptional(p.LowerBound);
            e.WriteOptional(p.UpperBound);
        }
        e.WriteBlockEnd();
    }



    private static T Required<T>(ManifestFile m, T? value, string field)
        where T : struct =>
        value ?? throw Errors.InvalidArgument($"{m.ManifestPath}: {field} is unknown, but v2+ manifest lists require it (count the manifest's entries first)");
}
