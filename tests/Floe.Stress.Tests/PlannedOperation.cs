namespace Floe.Stress.Tests;

/// <summary>An ingest a test will run: append or dynamic partition overwrite of <see cref="Rows"/> from a CSV file.</summary>
internal sealed record PlannedOperation(int Writer, int Index, bool Overwrite, IReadOnlyList<EventRow> Rows, string CsvPath)
{
    /// <summary>The days (epoch days) the rows fall in: for an overwrite, the partitions it replaces.</summary>
    public IReadOnlySet<int> Days => Rows.Select(r => r.EpochDay).ToHashSet();

    /// <summary>The <c>--mode</c> argument.</summary>
    public string Mode => Overwrite ? "overwrite-partitions" : "append";

    /// <summary>floe's arguments for this operation, with JSON output.</summary>
    public string[] Arguments => new[] { "--json", "ingest", EventTable.Name, CsvPath, "--mode", Mode };

    /// <summary>For messages.</summary>
    public override string ToString() => $"writer {Writer} op {Index} ({Mode} of {Rows.Count} rows, days {string.Join(",", Days.Order())})";

    /// <summary>
    /// Plans an operation: <paramref name="rowCount"/> rows with ids from <paramref name="firstId"/> spread over
    /// <paramref name="dayOffsets"/> (days after 2024-01-01), written to <paramref name="csvPath"/>.
    /// </summary>
    public static PlannedOperation Create(int writer, int index, bool overwrite, long firstId, int rowCount, IReadOnlyList<int> dayOffsets, string csvPath)
    {
        var rows = new List<EventRow>(rowCount);
        for (var r = 0; r < rowCount; r++) rows.Add(EventRow.Create(firstId + r, dayOffsets[r % dayOffsets.Count]));
        EventTable.WriteCsv(csvPath, rows);
        return new PlannedOperation(writer, index, overwrite, rows, csvPath);
    }
}
