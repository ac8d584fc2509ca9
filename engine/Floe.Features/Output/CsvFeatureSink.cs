using System.Globalization;
using System.Text;
using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Expressions;

namespace Floe.Features.Output;

/// <summary>
/// Writes rows as RFC 4180 CSV with a header: invariant-culture numbers (doubles round-trip, <c>NaN</c>,
/// <c>Infinity</c>), timestamps as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, nulls as empty fields, lists as
/// <c>[a;b;c]</c>. Written by hand because rows come out column-major; CsvHelper is used for reading.
/// </summary>
internal sealed class CsvFeatureSink : IFeatureSink
{
    private readonly string _path;
    private readonly StreamWriter _writer;
    private bool _headerWritten;

    public CsvFeatureSink(string path)
    {
        _path = path;
        try
        {
            _writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Io(path, e);
        }
    }

    public void WritePartition(DateOnly day, string[] names, ColumnData[] columns, int start, int rows)
    {
        if (!_headerWritten)
        {
            for (int c = 0; c < names.Length; c++)
            {
                if (c > 0) { _writer.Write(','); }
                WriteText(names[c]);
            }
            _writer.Write('\n');
            _headerWritten = true;
        }
        Span<char> buf = stackalloc char[64];
        for (int r = start; r < start + rows; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                if (c > 0) { _writer.Write(','); }
                WriteCell(columns[c], r, buf);
            }
            _writer.Write('\n');
        }
    }

    private void WriteCell(ColumnData col, int r, Span<char> buf)
    {
        if (!col.IsValid(r)) { return; }
        if (col.IsList)
        {
            _writer.Write('[');
            for (int k = col.ListOffsets![r]; k < col.ListOffsets[r + 1]; k++)
            {
                if (k > col.ListOffsets[r]) { _writer.Write(';'); }
                WriteCell(col.ListValues!, k, buf);
            }
            _writer.Write(']');
            return;
        }
        switch (col.Kind)
        {
            case ValueKind.Float64:
                {
                    double d = col.Doubles![r];
                    if (d.TryFormat(buf, out int n, "R", CultureInfo.InvariantCulture)) { _writer.Write(buf[..n]); }
                    break;
                }
            case ValueKind.Int64:
                {
                    if (col.Longs![r].TryFormat(buf, out int n, default, CultureInfo.InvariantCulture)) { _writer.Write(buf[..n]); }
                    break;
                }
            case ValueKind.Bool:
                _writer.Write(col.Longs![r] != 0 ? "true" : "false");
                break;
            case ValueKind.Timestamp:
                {
                    var t = DateTime.UnixEpoch.AddTicks(col.Longs![r] * 10);
                    if (t.TryFormat(buf, out int n, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)) { _writer.Write(buf[..n]); }
                    break;
                }
            default:
                WriteText(col.Strings![r]!);
                break;
        }
    }

    private void WriteText(string s)
    {
        if (s.AsSpan().IndexOfAny(",\"\n\r;[]") < 0) { _writer.Write(s); return; }
        _writer.Write('"');
        _writer.Write(s.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public IReadOnlyList<string> Complete()
    {
        _writer.Flush();
        _writer.Dispose();
        return [_path];
    }

    public void Dispose() => _writer.Dispose();
}
