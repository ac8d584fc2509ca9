using System.Globalization;

namespace Floe.Application.Streaming;

/// <summary>
/// Events as JSON lines from a file or standard input: the position is the 1-based line number, so a rerun over the
/// same input resumes exactly after the last committed line. Blank lines are skipped.
/// </summary>
public sealed class JsonLinesStreamSource : IStreamSource
{
    private readonly Stream _input;
    private readonly bool _ownsInput;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private long _line;
    private bool _eof;
    private byte[] _pending = new byte[1024];

    /// <summary>Reads <paramref name="input"/>; <paramref name="id"/> names the stream (e.g. the file path or <c>stdin</c>).</summary>
    public JsonLinesStreamSource(Stream input, string id, bool ownsInput = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _ownsInput = ownsInput;
        Id = id;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public bool TryRead(TimeSpan wait, CancellationToken cancellation, out StreamRecord record, out bool ended)
    {
        record = default;
        ended = false;
        int pendingLength = 0;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var piece = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                _line++;
                var line = pendingLength == 0 ? piece : Append(piece, pendingLength);
                if (line.Trim((byte)'\r').Trim((byte)' ').Length == 0)
                {
                    pendingLength = 0;
                    continue;
                }
                record = new StreamRecord(line.ToArray(), _line.ToString(CultureInfo.InvariantCulture));
                return true;
            }
            pendingLength = Append(_buffer.AsSpan(_start, _end - _start), pendingLength).Length;
            _start = _end = 0;
            if (_eof)
            {
                if (pendingLength > 0 && _pending.AsSpan(0, pendingLength).Trim((byte)' ').Length > 0)
                {
                    _line++;
                    record = new StreamRecord(_pending.AsSpan(0, pendingLength).ToArray(), _line.ToString(CultureInfo.InvariantCulture));
                    return true;
                }
                ended = true;
                return false;
            }
            int read = _input.Read(_buffer, 0, _buffer.Length);
            if (read == 0) _eof = true;
            _end = read;
        }
    }

    /// <inheritdoc />
    public bool IsAfter(string position, string committed) =>
        long.Parse(position, CultureInfo.InvariantCulture) > long.Parse(committed, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Acknowledge(string position)
    {
        // Lines need no acknowledgement: a rerun re-reads the input and skips what was committed.
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsInput) _input.Dispose();
    }

    /// <summary>Appends <paramref name="piece"/> to the partial line carried over from the previous buffer.</summary>
    private ReadOnlySpan<byte> Append(ReadOnlySpan<byte> piece, int pendingLength)
    {
        if (pendingLength + piece.Length > _pending.Length) System.Array.Resize(ref _pending, Math.Max(_pending.Length * 2, pendingLength + piece.Length));
        piece.CopyTo(_pending.AsSpan(pendingLength));
        return _pending.AsSpan(0, pendingLength + piece.Length);
    }
}
