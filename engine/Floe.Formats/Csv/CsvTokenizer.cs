using Floe.Core.Errors;

namespace Floe.Formats.Csv;

/// <summary>
/// Splits a chunk of whole CSV records (RFC 4180: comma-separated, optional double quotes with <c>""</c> escapes,
/// LF or CRLF line ends) into cells. Quoted cells are unescaped in place, so the chunk buffer is modified.
/// Blank lines are skipped; a row with another field count than the header throws, naming the line.
/// </summary>
internal static class CsvTokenizer
{
    /// <summary>
    /// Tokenizes <paramref name="chunk"/> into <paramref name="starts"/>/<paramref name="lengths"/> (grown as needed);
    /// returns the number of rows.
    /// </summary>
    public static int Tokenize(Span<byte> chunk, int fields, ref int[] starts, ref int[] lengths, long firstLine, string file)
    {
        var rows = 0;
        var pos = 0;
        var cell = 0;
        while (pos < chunk.Length)
        {
            // Blank line (LF or CRLF): skip it.
            if (chunk[pos] == '\n') { pos++; continue; }
            if (chunk[pos] == '\r' && pos + 1 < chunk.Length && chunk[pos + 1] == '\n') { pos += 2; continue; }
            if (cell + fields > starts.Length)
            {
                System.Array.Resize(ref starts, Math.Max(starts.Length * 2, cell + fields));
                System.Array.Resize(ref lengths, starts.Length);
            }
            var rowStart = pos;
            for (var f = 0; ; f++)
            {
                int start, length, end;
                if (pos < chunk.Length && chunk[pos] == '"')
                {
                    (start, length, end) = Quoted(chunk, pos, firstLine, rowStart, file);
                }
                else
                {
                    start = pos;
                    var rel = chunk[pos..].IndexOfAny((byte)',', (byte)'\n');
                    end = rel < 0 ? chunk.Length : pos + rel;
                    length = end - start;
                    if (length > 0 && chunk[end - 1] == '\r' && (end == chunk.Length || chunk[end] == '\n')) length--;
                }
                var last = end >= chunk.Length || chunk[end] == '\n';
                if (f < fields)
                {
                    starts[cell + f] = start;
                    lengths[cell + f] = length;
                }
                pos = end + 1;
                if (last)
                {
                    if (f + 1 != fields)
                    {
                        throw Errors.InvalidData(file, $"line {LineAt(chunk, rowStart, firstLine)}: expected {fields} fields, found {f + 1}");
                    }
                    break;
                }
            }
            cell += fields;
            rows++;
        }
        return rows;
    }

    /// <summary>The record boundary: the length of the longest prefix of <paramref name="block"/> made of whole records.</summary>
    public static int LastRecordEnd(ReadOnlySpan<byte> block)
    {
        var lastNewline = block.LastIndexOf((byte)'\n');
        if (lastNewline < 0) return 0;
        var prefix = block[..lastNewline];
        if (prefix.IndexOf((byte)'"') < 0) return lastNewline + 1;
        // Quotes present: a newline ends a record only outside quotes, i.e. after an even number of quote bytes
        // ("" escapes add two, so parity still tells inside from outside).
        var quotes = prefix.Count((byte)'"');
        var end = lastNewline;
        while (true)
        {
            if ((quotes & 1) == 0) return end + 1;
            var previous = block[..end].LastIndexOf((byte)'\n');
            if (previous < 0) return 0;
            quotes -= block[previous..end].Count((byte)'"');
            end = previous;
        }
    }

    private static (int Start, int Length, int End) Quoted(Span<byte> chunk, int pos, long firstLine, int rowStart, string file)
    {
        var start = pos + 1;
        var write = start;
        var read = start;
        while (true)
        {
            var rel = chunk[read..].IndexOf((byte)'"');
            if (rel < 0)
            {
                throw Errors.InvalidData(file, $"line {LineAt(chunk, rowStart, firstLine)}: malformed CSV row (unterminated quoted field)");
            }
            if (write != read) chunk.Slice(read, rel).CopyTo(chunk[write..]);
            write += rel;
            read += rel + 1;
            if (read < chunk.Length && chunk[read] == '"')
            {
                chunk[write++] = (byte)'"';
                read++;
                continue;
            }
            break;
        }
        var end = read;
        if (end < chunk.Length && chunk[end] == '\r' && end + 1 < chunk.Length && chunk[end + 1] == '\n') end++;
        if (end < chunk.Length && chunk[end] != ',' && chunk[end] != '\n')
        {
            throw Errors.InvalidData(file, $"line {LineAt(chunk, rowStart, firstLine)}: malformed CSV row (text after a closing quote)");
        }
        return (start, write - start, end);
    }

    private static long LineAt(ReadOnlySpan<byte> chunk, int offset, long firstLine) => firstLine + chunk[..offset].Count((byte)'\n');
}
