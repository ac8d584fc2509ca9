using System.Buffers.Binary;
using System.Text.Json;

namespace Floe.Iceberg.Puffin;

/// <summary>
/// Builds a Puffin file in memory (spec: magic <c>PFA1</c>, the blobs back to back, then a footer of magic, the JSON
/// payload listing each blob's type, fields, snapshot id, sequence number, offset, length and properties, the payload
/// size, flags and magic). Blobs and the footer are stored uncompressed. The caller writes <see cref="Finish"/>'s bytes
/// atomically, so a reader never sees a half-written file.
/// </summary>
public sealed class PuffinWriter
{
    private readonly MemoryStream _content = new();
    private readonly List<(PuffinBlob Blob, IReadOnlyList<int> Fields, long SnapshotId, long SequenceNumber)> _blobs = new();
    private readonly string _createdBy;
    private bool _finished;

    /// <summary>Starts a file whose footer names <paramref name="createdBy"/> as its writer.</summary>
    public PuffinWriter(string createdBy)
    {
        _createdBy = createdBy;
        _content.Write(PuffinReader.Magic);
    }

    /// <summary>Blobs added so far.</summary>
    public IReadOnlyList<PuffinBlob> Blobs => _blobs.ConvertAll(b => b.Blob);

    /// <summary>
    /// Appends one blob and returns its offset and length in the file. <paramref name="snapshotId"/> and
    /// <paramref name="sequenceNumber"/> are -1 when not known at write time (deletion vectors: the spec says so).
    /// </summary>
    public PuffinBlob Add(string type, IReadOnlyList<int> fields, ReadOnlySpan<byte> blob, IReadOnlyDictionary<string, string> properties,
        long snapshotId = -1, long sequenceNumber = -1)
    {
        if (_finished) throw new InvalidOperationException("the Puffin file is already finished");
        var offset = _content.Length;
        _content.Write(blob);
        var entry = new PuffinBlob(type, offset, blob.Length, null, properties);
        _blobs.Add((entry, fields, snapshotId, sequenceNumber));
        return entry;
    }

    /// <summary>Writes the footer and returns the whole file.</summary>
    public byte[] Finish()
    {
        if (_finished) throw new InvalidOperationException("the Puffin file is already finished");
        _finished = true;
        byte[] payload;
        using (var json = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(json))
            {
                w.WriteStartObject();
                w.WriteStartArray("blobs");
                foreach (var (blob, fields, snapshotId, sequenceNumber) in _blobs)
                {
                    w.WriteStartObject();
                    w.WriteString("type", blob.Type);
                    w.WriteStartArray("fields");
                    foreach (var f in fields) w.WriteNumberValue(f);
                    w.WriteEndArray();
                    w.WriteNumber("snapshot-id", snapshotId);
                    w.WriteNumber("sequence-number", sequenceNumber);
                    w.WriteNumber("offset", blob.Offset);
                    w.WriteNumber("length", blob.Length);
                    if (blob.Properties.Count > 0)
                    {
                        w.WriteStartObject("properties");
                        foreach (var (k, v) in blob.Properties) w.WriteString(k, v);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartObject("properties");
                w.WriteString("created-by", _createdBy);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            payload = json.ToArray();
        }
        _content.Write(PuffinReader.Magic);
        _content.Write(payload);
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(tail[4..], 0);
        _content.Write(tail);
        _content.Write(PuffinReader.Magic);
        return _content.ToArray();
    }
}
