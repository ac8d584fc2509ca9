using Apache.Arrow;
using Floe.Parquet;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Output;

/// <summary>Writes rows to a Parquet file (zstd unless told otherwise) that keeps the Iceberg field ids of the scanned columns.</summary>
public sealed class ParquetSink : IBatchSink
{
    private readonly string _path;
    private readonly ParquetWriterOptions? _options;
    private ParquetDataWriter? _writer;

    /// <summary>Writes to the local file <paramref name="path"/> with the writer's defaults (zstd).</summary>
    public ParquetSink(string path) => _path = path;

    /// <summary>Writes to the local file <paramref name="path"/> with <paramref name="options"/> (codec, row group and dictionary sizes).</summary>
    public ParquetSink(string path, ParquetWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = path;
        _options = options;
    }

    /// <inheritdoc />
    /// <remarks>An earlier file at the path is replaced by a new one, not truncated (see <see cref="OutputFile"/>).</remarks>
    public void Begin(Schema schema) =>
        _writer = new ParquetDataWriter(OutputFile.Create(_path), _path, schema, SchemaParser.ToJson(schema), _options);

    /// <inheritdoc />
    public void Write(RecordBatch batch) => _writer!.Write(batch);

    /// <inheritdoc />
    public void Complete() => _writer!.Close();

    /// <inheritdoc />
    public void Dispose() => _writer?.Dispose();
}
