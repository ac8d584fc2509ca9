using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet;

/// <summary>Reads Iceberg equality-delete files: the rows of the equality columns, as Arrow batches.</summary>
public static class EqualityDeleteReader
{
    /// <summary>
    /// Reads <paramref name="location"/> projected to the top-level fields <paramref name="equalityIds"/> (in that
    /// order) of <paramref name="tableSchema"/>; columns are matched by field id.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument when an id is not a top-level field of the schema; InvalidData naming the file when unreadable.</exception>
    public static IEnumerable<Apache.Arrow.RecordBatch> Read(IFileIO io, string location, Schema tableSchema, IReadOnlyList<int> equalityIds)
    {
        ArgumentNullException.ThrowIfNull(tableSchema);
        ArgumentNullException.ThrowIfNull(equalityIds);
        var fields = new List<NestedField>(equalityIds.Count);
        foreach (var id in equalityIds)
        {
            var field = tableSchema.Fields.FirstOrDefault(f => f.Id == id)
                ?? throw Errors.InvalidArgument($"{location}: equality field id {id} is not a top-level column of schema {tableSchema.SchemaId}");
            fields.Add(field);
        }
        return ReadBatches(io, location, new Schema(tableSchema.SchemaId, fields));
    }

    private static IEnumerable<Apache.Arrow.RecordBatch> ReadBatches(IFileIO io, string location, Schema projection)
    {
        using var reader = ParquetDataReader.Open(io, location, projection);
        foreach (var batch in reader.ReadAll())
        {
            yield return batch.Batch;
        }
    }
}
