using System.Globalization;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Io;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet;

/// <summary>
/// Writes batches into a sequence of Parquet files, starting a new file once the current one's estimated size
/// reaches the target (<c>write.target-file-size-bytes</c>, default 512 MiB). Batches are split into slices so a
/// large batch can roll mid-way. Not thread-safe.
/// </summary>
public sealed class RollingDataWriter : IDisposable
{
    /// <summary>Iceberg's default <c>write.target-file-size-bytes</c>.</summary>
    public const long DefaultTargetFileSizeBytes = 512L * 1024 * 1024;

    private const int SliceRows = 65536;

    private readonly IFileIO _io;
    private readonly Func<int, string> _locations;
    private readonly Schema _schema;
    private readonly string _schemaJson;
    private readonly ParquetWriterOptions? _options;
    private readonly List<WrittenDataFile> _files = new();
    private ParquetDataWriter? _current;
    private bool _closed;

    /// <summary>
    /// Creates a rolling writer; <paramref name="locationForFile"/> names file number 0, 1, 2, ... (each must be new).
    /// </summary>
    public RollingDataWriter(IFileIO io, Func<int, string> locationForFile, Schema schema, string icebergSchemaJson,
        long targetFileSizeBytes = DefaultTargetFileSizeBytes, ParquetWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(locationForFile);
        ArgumentNullException.ThrowIfNull(schema);
        if (targetFileSizeBytes <= 0) throw Errors.InvalidArgument($"target file size must be positive, got {targetFileSizeBytes}");
        _io = io;
        _locations = locationForFile;
        _schema = schema;
        _schemaJson = icebergSchemaJson;
        _options = options;
        TargetFileSizeBytes = targetFileSizeBytes;
    }

    /// <summary>The size at which a file is closed and the next one started.</summary>
    public long TargetFileSizeBytes { get; }

    /// <summary>Files finished so far.</summary>
    public IReadOnlyList<WrittenDataFile> CompletedFiles => _files;

    /// <summary>Reads <c>write.target-file-size-bytes</c> from table properties (default 512 MiB).</summary>
    public static long TargetFileSize(IReadOnlyDictionary<string, string>? properties)
    {
        if (properties is null || !properties.TryGetValue("write.target-file-size-bytes", out var text)) return DefaultTargetFileSizeBytes;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw Errors.InvalidArgument($"table property write.target-file-size-bytes='{text}' is not a positive integer");
    }

    /// <summary>Appends a batch, rolling to new files as needed.</summary>
    public void Write(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_closed) throw new InvalidOperationException("rolling writer is closed");
        for (var offset = 0; offset < batch.Length; offset += SliceRows)
        {
            var length = Math.Min(SliceRows, batch.Length - offset);
            _current ??= new ParquetDataWriter(_io, _locations(_files.Count), _schema, _schemaJson, _options);
            if (offset == 0 && length == batch.Length)
            {
                _current.Write(batch);
            }
            else
            {
                // Not disposed: a plain slice borrows the caller's buffers and owns nothing.
                _current.Write(batch.Slice(offset, length));
            }
            if (_current.EstimatedFileSize >= TargetFileSizeBytes) Roll();
        }
    }

    /// <summary>Finishes the open file and returns every file written, in order. Idempotent.</summary>
    public IReadOnlyList<WrittenDataFile> Close()
    {
        if (!_closed)
        {
            if (_current is not null) Roll();
            _closed = true;
        }
        return _files;
    }

    /// <summary>Abandons the open file (deleting it) when <see cref="Close"/> was not called; finished files stay.</summary>
    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        _closed = true;
    }

    private void Roll()
    {
        var writer = _current!;
        _current = null;
        using (writer)
        {
            _files.Add(new WrittenDataFile(writer.Location, writer.Close()));
        }
    }
}
