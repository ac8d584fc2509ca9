using System.Globalization;
using Floe.Application.Backfill;

namespace Floe.Cli.Commands;

/// <summary>
/// Shows a backfill's progress: one line rewritten in place on a terminal, plain log lines (at most one a second,
/// plus one per commit) when stdout is a file or a pipe, nothing when the output is JSON.
/// </summary>
internal sealed class ProgressDisplay : IProgress<BackfillProgress>
{
    public enum Mode
    {
        Silent,
        Lines,
        Terminal,
    }

    private readonly Mode _mode;
    private readonly object _gate = new();
    private TimeSpan? _lastLine;
    private int _width;

    public ProgressDisplay(Mode mode) => _mode = mode;

    public void Report(BackfillProgress value)
    {
        if (_mode == Mode.Silent) return;
        lock (_gate)
        {
            var text = Text(value);
            if (_mode == Mode.Terminal)
            {
                // Pad over the previous, possibly longer, line.
                Console.Write("\r" + text.PadRight(_width));
                _width = text.Length;
                return;
            }
            if (value.CommittedSnapshotId is null && _lastLine is { } last && value.Elapsed - last < TimeSpan.FromSeconds(1)) return;
            _lastLine = value.Elapsed;
            Console.WriteLine(text);
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (_mode == Mode.Terminal && _width > 0) Console.WriteLine();
            _width = 0;
        }
    }

    private static string Text(BackfillProgress p)
    {
        var eta = p.Eta is { } e ? $", ETA {Duration(e)}" : "";
        var commit = p.CommittedSnapshotId is { } id ? $", committed snapshot {id}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"backfill: {p.DaysDone}/{p.DaysTotal} days, {p.Rows} rows, {p.RowsPerSecond:F0} rows/s, {Duration(p.Elapsed)} elapsed{eta}{commit}");
    }

    private static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F1}s";
}
