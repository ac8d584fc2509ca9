using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Parquet;

/// <summary>
/// Reads any Parquet file as batches of a table schema: columns match by Iceberg field id when the file has ids,
/// else by name. Columns the file lacks come out null (or as the field's initial default); a required one is an error.
/// </summary>
public static class ParquetBatchReader
{
    /// <summary>Reads <paramref name="path"/> row group by row group.</summary>
    public static IEnumerable<RecordBatch> Read(string path, Schema schema)
    {
        if (!File.Exists(path)) throw Errors.NotFound($"{path}: file not found");
        var full = Path.GetFullPath(path);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), full, schema);
        var fileSchema = reader.FileSchema;
        foreach (var field in schema.Fields)
        {
            var present = reader.MatchesByFieldId ? fileSchema.FindField(field.Id) is not null : fileSchema.FindField(field.Name) is not null;
            if (!present && field.Required && field.InitialDefault is null)
            {
                throw Errors.InvalidData(path, $"required column '{field.Name}' (field id {field.Id}) is missing from the file");
            }
        }
        foreach (var (batch, _) in reader.ReadAll()) yield return batch;
    }
}
