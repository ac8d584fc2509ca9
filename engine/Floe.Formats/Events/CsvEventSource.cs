using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Sources;
using Floe.Formats.Csv;

namespace Floe.Formats.Events;

/// <summary>
/// Loads CSV files (header row required) into memory with the same reader <c>floe ingest</c> uses
/// (<see cref="CsvBatchReader"/>): column types are inferred from the first file's first chunk
/// (<see cref="CsvSchemaInference"/>: integers, then numbers, then ISO-8601 timestamps, then booleans, else strings),
/// an empty cell is null, and a value that does not fit its column's type, or is not valid UTF-8, is an error naming
/// the file, line and column.
/// </summary>
public static class CsvEventSource
{
    /// <summary>Loads <paramref name="paths"/> (same columns in every file).</summary>
    /// <exception cref="FloeException">NotFound for a missing file, InvalidData naming file, line and column.</exception>
    public static InMemoryEventSource Load(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw Errors.InvalidArgument("no CSV files given");
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw Errors.NotFound($"{path}: source file not found");
        }
        var schema = CsvSchemaInference.Infer(paths[0]);
        var batches = new List<RecordBatch>();
        foreach (var path in paths)
        {
            batches.AddRange(CsvBatchReader.Read(path, schema));
        }
        return InMemoryEventSource.FromBatches(Floe.Core.Arrow.ArrowSchemas.ToArrow(schema), batches);
    }
}
