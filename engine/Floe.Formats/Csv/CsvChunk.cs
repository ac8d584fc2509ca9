using System.Buffers;

namespace Floe.Formats.Csv;

/// <summary>A run of whole CSV records read from the file: a pooled buffer, its used length, and the file line it starts at.</summary>
internal sealed class CsvChunk : IDisposable
{
    public CsvChunk(byte[] buffer, int length, long firstLine)
    {
        Buffer = buffer;
        Length = length;
        FirstLine = firstLine;
    }

    public byte[] Buffer { get; private set; }

    public int Length { get; }

    public long FirstLine { get; }

    public Span<byte> Span => Buffer.AsSpan(0, Length);

    public void Dispose()
    {
        if (Buffer.Length > 0) ArrayPool<byte>.Shared.Return(Buffer);
        Buffer = System.Array.Empty<byte>();
    }
}
