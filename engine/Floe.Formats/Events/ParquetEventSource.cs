using Floe.Core.Errors;
using Floe.Features.Sources;

namespace Floe.Formats.Events;

/// <summary>
/// Loads Parquet files into memory with <see cref="ParquetFileSource"/> (Floe's own reader, row groups decoded on every
/// core): flat columns of integers, floats, booleans, strings and timestamps/dates (other columns are skipped). All
/// files must share the first file's columns.
/// </summary>
public static class ParquetEventSource
{
    /// <summary>Loads <paramref name="paths"/>.</summary>
    /// <exception cref="FloeException">NotFound for a missing file, InvalidData when a file cannot be read.</exception>
    public static InMemoryEventSource Load(IReadOnlyList<string> paths)
    {
        var files = new ParquetFileSource(paths);
        // Files without row groups give no batches, but their columns still define the schema.
        return InMemoryEventSource.FromBatches(files.Schema, [.. files.Read(string.Empty, null, DateTimeOffset.MaxValue)]);
    }
}
