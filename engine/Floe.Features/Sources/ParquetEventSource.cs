using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Columns;

namespace Floe.Features.Sources;

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
        var batches = files.Read(string.Empty, null, DateTimeOffset.MaxValue).ToList();
        if (batches.Count == 0)
        {
            // Files without row groups: no rows, but the columns still define the schema.
            var empty = new IArrowArray[files.Schema.FieldsList.Count];
            for (int c = 0; c < empty.Length; c++)
            {
                empty[c] = ArrowColumns.ToArray(ColumnData.Empty(ArrowColumns.KindOf(files.Schema.GetFieldByIndex(c).DataType)!.Value));
            }
            batches.Add(new RecordBatch(files.Schema, empty, 0));
        }
        return InMemoryEventSource.FromBatches(batches);
    }
}
