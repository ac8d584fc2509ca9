namespace Floe.Formats.Csv;

/// <summary>
/// The cells of a run of CSV rows inside one chunk: for row r and field f, the cell is
/// <c>Chunk[Starts[r * Fields + f] ..][.. Lengths[r * Fields + f]]</c>, already unquoted and unescaped.
/// </summary>
internal readonly ref struct CsvCells
{
    public CsvCells(ReadOnlySpan<byte> chunk, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, int fields, long firstLine, string file)
    {
        Chunk = chunk;
        Starts = starts;
        Lengths = lengths;
        Fields = fields;
        FirstLine = firstLine;
        File = file;
    }

    public ReadOnlySpan<byte> Chunk { get; }

    public ReadOnlySpan<int> Starts { get; }

    public ReadOnlySpan<int> Lengths { get; }

    /// <summary>Fields per row (the header's field count).</summary>
    public int Fields { get; }

    /// <summary>The 1-based file line of the chunk's first byte.</summary>
    public long FirstLine { get; }

    public string File { get; }

    public int Rows => Starts.Length / Fields;

    public ReadOnlySpan<byte> Cell(int row, int field)
    {
        var i = row * Fields + field;
        return Chunk.Slice(Starts[i], Lengths[i]);
    }

    /// <summary>The file line of <paramref name="row"/> (counted only when an error needs it).</summary>
    public long LineOf(int row) => FirstLine + Chunk[..Starts[row * Fields]].Count((byte)'\n');
}
