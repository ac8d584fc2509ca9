using System.Buffers;

namespace Floe.Formats.Csv;

/// <summary>
/// Reads a CSV file sequentially in blocks of about <see cref="DefaultChunkBytes"/> and cuts each at the last record
/// boundary (a newline outside quotes), carrying the partial record into the next chunk; chunks can then be parsed
/// independently and in parallel. Tracks the file line each chunk starts at, for error messages.
/// </summary>
internal sealed class CsvChunkReader : IDisposable
{
    /// <summary>
    /// Default chunk size: big enough to amortise a task per chunk (~45k rows of the ingest bench's events), small
    /// enough to keep one per processor in flight. Each chunk in flight holds its text, its cell offsets and its
    /// parsed arrays (all large-object heap, freed only by full collections); at 8 MiB the 10M-event CSV ingest
    /// peaked at 235-257 MiB, at 2 MiB 130-134 MiB for the same CPU (bench/RESULTS.md, ingest28).
    /// </summary>
    public const int DefaultChunkBytes = 2 << 20;

    private readonly int _chunkBytes;

    private readonly Stream _stream;
    private byte[] _carry = System.Array.Empty<byte>();
    private int _carryLength;
    private long _nextLine;
    private bool _eof;

    public CsvChunkReader(Stream stream, ReadOnlySpan<byte> alreadyRead, long firstLine, int chunkBytes = DefaultChunkBytes)
    {
        _chunkBytes = chunkBytes;
        _stream = stream;
        _carry = ArrayPool<byte>.Shared.Rent(Math.Max(alreadyRead.Length, 1));
        alreadyRead.CopyTo(_carry);
        _carryLength = alreadyRead.Length;
        _nextLine = firstLine;
    }

    /// <summary>The next chunk of whole records, or null at the end of the file.</summary>
    public CsvChunk? Next()
    {
        while (true)
        {
            if (_eof && _carryLength == 0) return null;
            var size = Math.Max(_chunkBytes, _carryLength * 2);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            _carry.AsSpan(0, _carryLength).CopyTo(buffer);
            var length = _carryLength;
            while (!_eof && length < size)
            {
                var n = _stream.Read(buffer, length, size - length);
                if (n == 0) _eof = true;
                length += n;
            }
            if (length == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return null;
            }
            // At the end of the file the rest is the last record, newline or not.
            var cut = _eof ? length : CsvTokenizer.LastRecordEnd(buffer.AsSpan(0, length));
            if (cut == 0 && !_eof)
            {
                // One record longer than the buffer: keep it all and read a bigger block.
                SetCarry(buffer.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(buffer);
                continue;
            }
            SetCarry(buffer.AsSpan(cut, length - cut));
            var chunk = new CsvChunk(buffer, cut, _nextLine);
            _nextLine += buffer.AsSpan(0, cut).Count((byte)'\n');
            return chunk;
        }
    }

    private void SetCarry(ReadOnlySpan<byte> rest)
    {
        if (_carry.Length < rest.Length)
        {
            ArrayPool<byte>.Shared.Return(_carry);
            _carry = ArrayPool<byte>.Shared.Rent(rest.Length);
        }
        rest.CopyTo(_carry);
        _carryLength = rest.Length;
    }

    public void Dispose()
    {
        if (_carry.Length > 0) ArrayPool<byte>.Shared.Return(_carry);
        _carry = System.Array.Empty<byte>();
        _stream.Dispose();
    }
}
