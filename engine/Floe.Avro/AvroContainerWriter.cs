using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Floe.Core.Errors;

namespace Floe.Avro;

/// <summary>
/// Writes an Avro object container file: magic, metadata (<c>avro.schema</c>, <c>avro.codec</c> and caller
/// key-values), a random sync marker, then blocks of datums of about <c>blockSize</c> uncompressed bytes.
/// Callers encode one datum into <see cref="Encoder"/> and call <see cref="EndDatum"/>, or use <see cref="Write"/>
/// with the generic model. Nothing reaches <c>output</c> between blocks, so an exception mid-datum leaves only whole
/// blocks behind.
/// </summary>
public sealed class AvroContainerWriter : IDisposable
{
    /// <summary>Default block size: Java's <c>DataFileWriter</c> sync interval.</summary>
    public const int DefaultBlockSize = 64_000;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly int _blockSize;
    private readonly byte[] _sync = new byte[16];
    private readonly AvroEncoder _header = new(4096);
    private MemoryStream? _compressed;
    private long _blockCount;
    private bool _closed;

    /// <summary>Writes the header to <paramref name="output"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument when user metadata uses a reserved <c>avro.</c> key; Unsupported for writing snappy.</exception>
    public AvroContainerWriter(
        Stream output,
        AvroSchema schema,
        AvroCodec codec = AvroCodec.Deflate,
        IEnumerable<KeyValuePair<string, string>>? metadata = null,
        int blockSize = DefaultBlockSize,
        bool leaveOpen = true)
    {
        if (codec == AvroCodec.Snappy) throw Errors.Unsupported("writing Avro with the snappy codec is not supported (use deflate or zstandard)");
        _output = output;
        _leaveOpen = leaveOpen;
        _blockSize = Math.Max(1, blockSize);
        Schema = schema;
        Codec = codec;
        Encoder = new AvroEncoder(Math.Min(_blockSize + 1024, 1 << 20));
        RandomNumberGenerator.Fill(_sync);

        var entries = new List<KeyValuePair<string, byte[]>>
        {
            new("avro.schema", Encoding.UTF8.GetBytes(AvroSchemaWriter.ToJson(schema))),
            new("avro.codec", Encoding.UTF8.GetBytes(AvroCodecNames.NameOf(codec))),
        };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (key.StartsWith("avro.", StringComparison.Ordinal))
                {
                    throw Errors.InvalidArgument($"Avro metadata key '{key}' is reserved");
                }
                entries.Add(new(key, Encoding.UTF8.GetBytes(value)));
            }
        }
        _header.WriteFixed(AvroContainerReader.Magic);
        _header.WriteBlockStart(entries.Count);
        foreach (var (key, value) in entries)
        {
            _header.WriteString(key);
            _header.WriteBytes(value);
        }
        _header.WriteBlockEnd();
        _header.WriteFixed(_sync);
        _output.Write(_header.WrittenSpan);
        BytesWritten = _header.Length;
    }

    /// <summary>The schema datums are written with.</summary>
    public AvroSchema Schema { get; }

    /// <summary>The block codec.</summary>
    public AvroCodec Codec { get; }

    /// <summary>The encoder the current datum is written into.</summary>
    public AvroEncoder Encoder { get; }

    /// <summary>Bytes written to the output so far (header and flushed blocks).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Marks the end of one datum in <see cref="Encoder"/>; flushes a block when it is full.</summary>
    public void EndDatum()
    {
        _blockCount++;
        if (Encoder.Length >= _blockSize) Flush();
    }

    /// <summary>Writes one datum of the generic model (see <see cref="AvroGenericWriter"/>).</summary>
    public void Write(object? datum)
    {
        var mark = Encoder.Length;
        try
        {
            AvroGenericWriter.Write(Encoder, Schema, datum);
        }
        catch
        {
            Encoder.Truncate(mark);
            throw;
        }
        EndDatum();
    }

    /// <summary>Writes the pending datums as one block.</summary>
    public void Flush()
    {
        if (_blockCount == 0) return;
        ReadOnlySpan<byte> payload = Encoder.WrittenSpan;
        if (Codec != AvroCodec.Null)
        {
            _compressed ??= new MemoryStream();
            _compressed.SetLength(0);
            using (Stream compressor = Codec == AvroCodec.Deflate
                ? new DeflateStream(_compressed, CompressionLevel.Optimal, leaveOpen: true)
                : new ZstdSharp.CompressionStream(_compressed, 3, leaveOpen: true))
            {
                compressor.Write(payload);
            }
            payload = _compressed.GetBuffer().AsSpan(0, (int)_compressed.Length);
        }
        _header.Reset();
        _header.WriteLong(_blockCount);
        _header.WriteLong(payload.Length);
        _output.Write(_header.WrittenSpan);
        _output.Write(payload);
        _output.Write(_sync);
        BytesWritten += _header.Length + payload.Length + _sync.Length;
        Encoder.Reset();
        _blockCount = 0;
    }

    /// <summary>Flushes the last block (and the output stream); closes the stream unless <c>leaveOpen</c>.</summary>
    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        Flush();
        _output.Flush();
        if (!_leaveOpen) _output.Dispose();
    }
}
