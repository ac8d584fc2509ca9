using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Floe.Core.Types;
using Floe.Core.Errors;

namespace Floe.Avro;

/// <summary>
/// Reads an Avro object container file (magic, metadata map, sync marker, then blocks of datums). The whole file is
/// held in memory (manifests and manifest lists are small), blocks are decompressed one at a time into a reused
/// buffer, and <see cref="Decoder"/> reads the current block's datums with the <em>writer's</em> schema.
/// </summary>
/// <remarks>
/// Usage: <c>while (reader.ReadBlock()) { for (i &lt; BlockCount) decode(reader.Decoder); reader.EndBlock(); }</c>.
/// Corrupt or truncated input throws <see cref="FloeException"/> (InvalidData) naming the file, block and offset.
/// </remarks>
public sealed class AvroContainerReader
{
    /// <summary>The four magic bytes that start every container file: <c>Obj\x01</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "Obj\u0001"u8;

    private const int SyncSize = 16;

    private readonly byte[] _data;
    private readonly AvroDecoder _file;
    private readonly byte[] _sync;
    private readonly Dictionary<string, byte[]> _metadata;
    private byte[] _blockBuffer = Array.Empty<byte>();
    private int _blockIndex = -1;

    /// <summary>Parses the header of the container held in <paramref name="data"/>.</summary>
    /// <exception cref="FloeException">InvalidData when the header is malformed; Unsupported for an unknown codec.</exception>
    public AvroContainerReader(byte[] data, string location)
    {
        _data = data;
        Location = location;
        _file = new AvroDecoder(location);
        Decoder = new AvroDecoder(location);
        if (data.Length < Magic.Length || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Errors.InvalidData(location, "not an Avro object container file (bad magic bytes)");
        }
        _file.Reset(data, Magic.Length, data.Length, "header");
        _metadata = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var n = _file.ReadBlockCount(); n != 0; n = _file.ReadBlockCount())
        {
            for (long i = 0; i < n; i++)
            {
                var key = _file.ReadString();
                _metadata[key] = _file.ReadBytes();
            }
        }
        _sync = _file.ReadFixedSpan(SyncSize).ToArray();
        if (!_metadata.TryGetValue("avro.schema", out var schemaBytes))
        {
            throw Errors.InvalidData(location, "Avro header has no avro.schema");
        }
        Schema = AvroSchemaParser.Parse(Encoding.UTF8.GetString(schemaBytes), location);
        Codec = AvroCodecNames.Parse(GetMetadata("avro.codec") ?? "null", location);
    }

    /// <summary>Reads all of <paramref name="stream"/> (the file at <paramref name="location"/>, named in errors) and parses its header.</summary>
    /// <exception cref="FloeException">InvalidData for a file that is not an Avro container; Io when the stream fails.</exception>
    public static AvroContainerReader Open(Stream stream, string location) => new(ReadAllBytes(stream, location), location);

    /// <summary>The file being read.</summary>
    public string Location { get; }

    /// <summary>The writer's schema (<c>avro.schema</c>).</summary>
    public AvroSchema Schema { get; }

    /// <summary>The block codec (<c>avro.codec</c>).</summary>
    public AvroCodec Codec { get; }

    /// <summary>All header metadata, including <c>avro.*</c> keys.</summary>
    public IReadOnlyDictionary<string, byte[]> Metadata => _metadata;

    /// <summary>Decoder over the current block's datums.</summary>
    public AvroDecoder Decoder { get; }

    /// <summary>Number of datums in the current block.</summary>
    public long BlockCount { get; private set; }

    /// <summary>A metadata value as UTF-8 text, or null when absent.</summary>
    public string? GetMetadata(string key) => _metadata.TryGetValue(key, out var v) ? Encoding.UTF8.GetString(v) : null;

    /// <summary>Loads the next block; false at the end of the file.</summary>
    /// <exception cref="FloeException">InvalidData when the block is truncated, fails to decompress or its sync marker is wrong.</exception>
    public bool ReadBlock()
    {
        if (_file.Remaining == 0) return false;
        _blockIndex++;
        var blockStart = _data.Length - _file.Remaining;
        _file.Reset(_data, blockStart, _data.Length, $"block {_blockIndex} at file offset {blockStart}");
        var count = _file.ReadLong();
        var size = _file.ReadLong();
        if (count < 0) throw _file.Corrupt($"negative datum count {count}");
        if (size < 0) throw _file.Corrupt($"negative block size {size}");
        if (size > _file.Remaining - SyncSize)
        {
            throw Errors.InvalidData(Location, $"truncated Avro file: block {_blockIndex} at file offset {blockStart} declares {size} bytes but only {Math.Max(0, _file.Remaining - SyncSize)} remain before the sync marker");
        }
        var dataStart = _data.Length - _file.Remaining;
        var dataEnd = dataStart + (int)size;
        if (!_data.AsSpan(dataEnd, SyncSize).SequenceEqual(_sync))
        {
            throw Errors.InvalidData(Location, $"corrupt Avro file: sync marker mismatch after block {_blockIndex} (file offset {dataEnd})");
        }
        var region = $"block {_blockIndex} (file offset {blockStart}, {Codec.ToString().ToLowerInvariant()})";
        switch (Codec)
        {
            case AvroCodec.Null:
                Decoder.Reset(_data, dataStart, dataEnd, region);
                break;
            default:
                // The length is computed first: decompressing may replace _blockBuffer with a larger array.
                var length = Codec switch
                {
                    AvroCodec.Deflate => Inflate(dataStart, (int)size, region),
                    AvroCodec.Snappy => Unsnappy(dataStart, (int)size, region),
                    _ => Unzstd(dataStart, (int)size, region),
                };
                Decoder.Reset(_blockBuffer, 0, length, region);
                break;
        }
        _file.Reset(_data, dataEnd + SyncSize, _data.Length, "after " + region);
        BlockCount = count;
        return true;
    }

    /// <summary>Checks that the datums of the block used up exactly its bytes.</summary>
    public void EndBlock()
    {
        if (Decoder.Remaining != 0)
        {
            throw Decoder.Corrupt($"{Decoder.Remaining} byte(s) left over after the block's {BlockCount} datum(s)");
        }
    }

    /// <summary>Decodes every datum of the file with the generic model (see <see cref="AvroGenericReader"/>).</summary>
    public IEnumerable<object?> ReadAll()
    {
        while (ReadBlock())
        {
            for (long i = 0; i < BlockCount; i++)
            {
                yield return AvroGenericReader.Read(Decoder, Schema);
            }
            EndBlock();
        }
    }

    /// <summary>Reads the rest of <paramref name="stream"/>, turning I/O failures into FloeExceptions naming <paramref name="location"/>.</summary>
    public static byte[] ReadAllBytes(Stream stream, string location)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            if (stream.CanSeek)
            {
                var length = stream.Length - stream.Position;
                if (length > Array.MaxLength) throw Errors.Unsupported($"{location}: file of {length} bytes is too large to read into memory");
                var bytes = new byte[length];
                stream.ReadExactly(bytes);
                return bytes;
            }
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (EndOfStreamException e)
        {
            throw Errors.InvalidData(location, "file shrank while it was being read", e);
        }
        catch (IOException e)
        {
            throw Errors.Io(location, e);
        }
    }

    private int Inflate(int start, int size, string region)
    {
        try
        {
            using var source = new MemoryStream(_data, start, size, writable: false);
            using var inflater = new DeflateStream(source, CompressionMode.Decompress);
            return ReadToBuffer(inflater, size * 4);
        }
        catch (InvalidDataException e)
        {
            throw Errors.InvalidData(Location, $"corrupt Avro file: {region} does not inflate ({e.Message})", e);
        }
    }

    private int Unzstd(int start, int size, string region)
    {
        try
        {
            using var source = new MemoryStream(_data, start, size, writable: false);
            using var inflater = new ZstdSharp.DecompressionStream(source);
            return ReadToBuffer(inflater, size * 4);
        }
        catch (Exception e) when (e is ZstdSharp.ZstdException or InvalidDataException or EndOfStreamException)
        {
            throw Errors.InvalidData(Location, $"corrupt Avro file: {region} does not decompress as zstd ({e.Message})", e);
        }
    }

    private int Unsnappy(int start, int size, string region)
    {
        if (size < 4) throw Errors.InvalidData(Location, $"corrupt Avro file: {region} is too short for a snappy block");
        var length = SnappyDecompressor.Decompress(_data.AsSpan(start, size - 4), ref _blockBuffer, out var error);
        if (error is not null) throw Errors.InvalidData(Location, $"corrupt Avro file: {region}: {error}");
        var expected = BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(start + size - 4, 4));
        var actual = Crc32.Compute(_blockBuffer.AsSpan(0, length));
        if (expected != actual)
        {
            throw Errors.InvalidData(Location, $"corrupt Avro file: {region} fails its CRC-32 check (stored {expected:x8}, computed {actual:x8})");
        }
        return length;
    }

    private int ReadToBuffer(Stream source, int sizeHint)
    {
        if (_blockBuffer.Length < sizeHint) _blockBuffer = new byte[Math.Max(sizeHint, 4096)];
        var total = 0;
        while (true)
        {
            if (total == _blockBuffer.Length) Array.Resize(ref _blockBuffer, checked(_blockBuffer.Length * 2));
            var read = source.Read(_blockBuffer, total, _blockBuffer.Length - total);
            if (read == 0) return total;
            total += read;
        }
    }
}
