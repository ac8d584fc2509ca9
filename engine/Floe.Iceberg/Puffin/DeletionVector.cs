using System.Buffers.Binary;
using Floe.Avro;
using Floe.Core.Errors;

namespace Floe.Iceberg.Puffin;

/// <summary>
/// The <c>deletion-vector-v1</c> blob: a 4-byte big-endian length of magic plus bitmap, the magic <c>D1 D3 39 64</c>,
/// a portable 64-bit Roaring bitmap of deleted row positions, and a big-endian CRC-32 of magic plus bitmap.
/// </summary>
public static class DeletionVector
{
    /// <summary>The deletion-vector-v1 Puffin blob type.</summary>
    public const string BlobType = "deletion-vector-v1";

    private static ReadOnlySpan<byte> DvMagic => [0xD1, 0xD3, 0x39, 0x64];

    /// <summary>Decodes one blob into the set of deleted positions; throws InvalidData naming <paramref name="location"/> when damaged.</summary>
    public static HashSet<long> Decode(ReadOnlySpan<byte> blob, string location)
    {
        if (blob.Length < 12) throw Errors.InvalidData(location, "deletion vector blob is too short");
        var length = BinaryPrimitives.ReadInt32BigEndian(blob);
        if (length < 4 || 4 + length + 4 != blob.Length) throw Errors.InvalidData(location, $"deletion vector length {length} does not match its blob size {blob.Length}");
        var body = blob.Slice(4, length);
        if (!body[..4].SequenceEqual(DvMagic)) throw Errors.InvalidData(location, "deletion vector magic is wrong");
        var crc = BinaryPrimitives.ReadUInt32BigEndian(blob[(4 + length)..]);
        if (Crc32.Compute(body) != crc) throw Errors.InvalidData(location, "deletion vector CRC-32 does not match");
        var result = new HashSet<long>();
        try
        {
            RoaringPortable.Read64(body[4..], result);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Errors.InvalidData(location, "deletion vector bitmap is truncated", e);
        }
        catch (InvalidDataException e)
        {
            throw Errors.InvalidData(location, "deletion vector bitmap is damaged: " + e.Message, e);
        }
        return result;
    }

    /// <summary>Encodes deleted positions as a deletion-vector-v1 blob.</summary>
    public static byte[] Encode(IEnumerable<long> positions)
    {
        var bitmap = RoaringPortable.Write64(positions);
        var blob = new byte[4 + 4 + bitmap.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(blob, 4 + bitmap.Length);
        DvMagic.CopyTo(blob.AsSpan(4));
        bitmap.CopyTo(blob.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(8 + bitmap.Length), Crc32.Compute(blob.AsSpan(4, 4 + bitmap.Length)));
        return blob;
    }
}
