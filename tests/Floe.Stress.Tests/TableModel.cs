namespace Floe.Stress.Tests;

/// <summary>
/// The expected content of the events table, obtained by replaying committed operations in commit order: an append
/// adds its rows; a dynamic partition overwrite drops every row of the days its rows fall in, then adds them.
/// </summary>
internal sealed class TableModel
{
    private readonly List<EventRow> _rows = new();

    /// <summary>Rows now in the table.</summary>
    public int Count => _rows.Count;

    /// <summary>Row keys now in the table.</summary>
    public IEnumerable<string> Keys => _rows.Select(r => r.Key);

    /// <summary>Applies a committed operation.</summary>
    public void Apply(bool overwrite, IReadOnlyList<EventRow> rows)
    {
        if (overwrite)
        {
            var days = rows.Select(r => r.EpochDay).ToHashSet();
            _rows.RemoveAll(r => days.Contains(r.EpochDay));
        }
        _rows.AddRange(rows);
    }

    /// <summary>A copy of this model.</summary>
    public TableModel Clone()
    {
        var copy = new TableModel();
        copy._rows.AddRange(_rows);
        return copy;
    }
}
