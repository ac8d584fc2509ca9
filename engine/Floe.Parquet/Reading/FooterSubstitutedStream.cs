namespace Floe.Parquet.Reading;

/// <summary>
/// A read-only view of a Parquet file: its first <c>dataLength</c> bytes (magic and column chunks) from the file,
/// followed by another footer, its length and the magic number. Positions inside the data are the file's own, so
/// column chunk offsets stay valid.
/// </summary>
internal sealed class FooterSubstitutedStream : Stream
{
    private readonly Stream _inner;
    private readonly long _dataLength;
    private readonly byte[] _tail;
    private long _position;

    public FooterSubstitutedStream(Stream inner, long dataLength, byte[] footer)
    {
        _inner = inner;
        _dataLength = dataLength;
        _tail = new byte[footer.Length + 8];
        footer.CopyTo(_tail, 0);
        BitConverter.TryWriteBytes(_tail.AsSpan(footer.Length), footer.Length);
        "PAR1"u8.CopyTo(_tail.AsSpan(footer.Length + 4));
        if (!BitConverter.IsLittleEndian) _tail.AsSpan(footer.Length, 4).Reverse();
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _dataLength + _tail.Length;

    /// <summary>
    /// While set, the only bytes this view serves: a read outside [Start, End) throws InvalidDataException. A column
    /// chunk's read sets it to the chunk, so a decoder that counts values by what it decoded, not by the page headers
    /// Floe checked, and goes on reading page headers past the chunk's end fails there instead of reading the next
    /// chunk's pages (Parquet.Net did: a corrupt page of one column made it size a buffer by the next column's hostile
    /// dictionary count, an OutOfMemoryException).
    /// </summary>
    public (long Start, long End)? Window { get; set; }

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>
    /// One byte; past the end, an error rather than −1. Parquet.Net reads page headers a byte at a time and its thrift
    /// varint reader takes −1 as a byte with the continuation bit set, so a header that runs off the end of what it is
    /// given (a corrupt page count sending it past its chunk) looped forever instead of failing.
    /// </summary>
    /// <exception cref="InvalidDataException">The position is at or past the end.</exception>
    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : throw new InvalidDataException($"a read ran past the end of the file's {Length} bytes (a corrupt page header or count)");
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= Length) return 0;
        if (Window is { } window)
        {
            // Not an end of stream: Parquet.Net's Thrift reader loops forever at one (the input
            // tests/Floe.Fuzz/corpora/parquet/regression-read-past-chunk-eof ran 50 minutes before it was stopped).
            if (_position < window.Start || _position >= window.End)
            {
                throw new InvalidDataException($"a column chunk's pages end before its values do (a read at {_position}, outside the chunk's bytes {window.Start}-{window.End})");
            }
            buffer = buffer[..(int)Math.Min(buffer.Length, window.End - _position)];
        }
        int read;
        if (_position < _dataLength)
        {
            var want = (int)Math.Min(buffer.Length, _dataLength - _position);
            _inner.Position = _position;
            read = _inner.Read(buffer[..want]);
        }
        else
        {
            var from = (int)(_position - _dataLength);
            read = Math.Min(buffer.Length, _tail.Length - from);
            _tail.AsSpan(from, read).CopyTo(buffer);
        }
        _position += read;
        return read;
    }

    // Reads are served synchronously: the base class would queue each one to the thread pool.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
