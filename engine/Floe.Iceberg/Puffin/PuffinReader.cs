using System.Buffers.Binary;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Io;

namespace Floe.Iceberg.Puffin;

/// <summary>
/// Reads a Puffin file (spec: magic <c>PFA1</c>, blobs, then a footer of magic, JSON payload, payload size,
/// flags and magic). Only uncompressed footers are accepted; Floe writes none other.
/// </summary>
public static class PuffinReader
{
    /// <summary>The four magic bytes that open a Puffin file and its footer.</summary>
    public static ReadOnlySpan<byte> Magic => "PFA1"u8;

    /// <summary>Footer bytes that follow the JSON payload: payload size, flags and magic.</summary>
    private const int FooterTail = 12;

    /// <summary>Reads a whole Puffin file and returns its bytes and blob list; throws InvalidData naming the file when it is not one.</summary>
    public static (byte[] Content, IReadOnlyList<PuffinBlob> Blobs) Read(IFileIO io, string location)
    {
        byte[] content;
        using (var stream = io.OpenRead(location))
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            content = buffer.ToArray();
        }
        return (content, ReadFooter(content, location));
    }

    /// <summary>Parses the footer of a Puffin file held in memory.</summary>
    public static IReadOnlyList<PuffinBlob> ReadFooter(ReadOnlySpan<byte> content, string location)
    {
        if (content.Length < 4 + 4 + FooterTail || !content[..4].SequenceEqual(Magic) || !content[^4..].SequenceEqual(Magic))
        {
            throw Errors.InvalidData(location, "not a Puffin file (missing PFA1 magic); deletion vectors must be stored in a Puffin container");
        }
        var payloadSize = BinaryPrimitives.ReadInt32LittleEndian(content[^FooterTail..]);
        var flags = BinaryPrimitives.ReadInt32LittleEndian(content[^8..]);
        if ((flags & 1) != 0) throw Errors.Unsupported($"{location}: compressed Puffin footers are not supported");
        var footerStart = content.Length - FooterTail - payloadSize - 4;
        if (payloadSize < 0 || footerStart < 4 || !content.Slice(footerStart, 4).SequenceEqual(Magic))
        {
            throw Errors.InvalidData(location, "Puffin footer is damaged (payload size or footer magic is wrong)");
        }
        var payload = content.Slice(footerStart + 4, payloadSize);
        try
        {
            using var json = JsonDocument.Parse(payload.ToArray());
            if (!json.RootElement.TryGetProperty("blobs", out var blobs) || blobs.ValueKind != JsonValueKind.Array)
            {
                throw Errors.InvalidData(location, "Puffin footer has no blobs list");
            }
            var result = new List<PuffinBlob>();
            foreach (var blob in blobs.EnumerateArray())
            {
                var properties = new Dictionary<string, string>(StringComparer.Ordinal);
                if (blob.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in props.EnumerateObject()) properties[p.Name] = p.Value.GetString() ?? "";
                }
                string? codec = blob.TryGetProperty("compression-codec", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var offset = blob.GetProperty("offset").GetInt64();
                var length = blob.GetProperty("length").GetInt64();
                if (offset < 4 || length < 0 || offset + length > footerStart)
                {
                    throw Errors.InvalidData(location, $"Puffin blob at offset {offset} with length {length} lies outside the blob area");
                }
                result.Add(new PuffinBlob(blob.GetProperty("type").GetString() ?? "", offset, length, codec, properties));
            }
            return result;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Errors.InvalidData(location, "Puffin footer is not valid JSON with type/offset/length per blob", e);
        }
    }
}
