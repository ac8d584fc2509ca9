using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Output;
using Floe.Formats.Output;
using Floe.Core.Arrow;
using Floe.Parquet;

namespace Floe.Formats.Features;

/// <summary>
/// Writes computed feature rows to one file through the same sinks a scan writes with: Parquet (columns carrying
/// Iceberg field ids 1..n, so the file can be added to a table as is) or CSV. The schema is known before the first
/// row, so a computation with no rows in range still leaves a file with the output columns.
/// </summary>
public sealed class FeatureFileSink : IFeatureBatchSink, IDisposable
{
    // Chosen per column kind with numbers (bench/RESULTS.md, "Feature output encodings"; 1M-row feature output of the
    // Zipf bench): integer columns (keys, event times, counts) DELTA_BINARY_PACKED, which beat dictionary indices by
    // 1.8x on counts; doubles PLAIN, since BYTE_STREAM_SPLIT came out 5-60% larger here (runs of equal sums and
    // maxima compress better as whole values); zstd level 2, which was nearly as small as level 3 (38.5 vs 38.1 MB)
    // for 60% of its CPU, where level 1 gave 46 MB and snappy 55 MB.
    // Doubles try BYTE_STREAM_SPLIT on their first page and keep it when at most 20% larger: zstd spends a third of
    // its PLAIN time on the split streams, and on the Zipf bench's output the trial picks the noisy means and the
    // 7-day sums (zstd CPU of the writer -28%, file +0.8%, still below DuckDB's zstd file), not the repetitive
    // maxima and short sums (bench/RESULTS.md, "Feature output: byte-stream-split by trial").
    // zstd's fast level (-1: no Huffman-coded literals) by trial on the same pages, kept when at most 8% larger than
    // the trial's smallest sample: it takes most split means and some delta-encoded event times, running sums and
    // maxima pages, where Huffman coding earned little. With sampled trials every 8th page (bench/RESULTS.md, "Feature
    // output: sampled trials every 8th page"): 10M-event output 375.8 MB, 1M 39.2 MB (DuckDB's zstd files 384.0 and
    // 39.6-39.8 MB); libzstd's instructions -4.7% against the old trials at 5% (373.8 MB); 5% came to 372.0 MB for -2.1%.
    // A split sample goes fast when within 8% of its own size at level 2 (and 20% of PLAIN's); a column whose trial came
    // out clear of both bounds, choosing as the trial before, skips one trial; the fast level looks for 6-byte matches
    // on delta-encoded integer pages (5 on doubles). 1M job's instructions -1.9% (zstd's -4.4%), file +0.5%
    // (bench/RESULTS.md, "1M feature job's CPU, round 25").
    // 16 MiB row groups: the writer buffers a row group, and larger ones only held more memory.
    // 1 MiB dictionaries: a column of noisy doubles (means, long sums) still goes PLAIN after the writer's 32k-value
    // sample shows the dictionary would not pay, while maxima keep theirs: on the 7-day bench set (1.43M events a day)
    // their ~15k distinct values per row group outgrew the earlier 64 KiB, and the file was 376.3 MB against DuckDB's
    // 374.4; with 1 MiB it is 362.5 MB (maxima 48.1 -> 35.8 MB) at the same writer CPU per column (bench/RESULTS.md,
    // "Session 22 (lead)"). 256 KiB left the Zipf 10M file 0.5 MB larger: a column outgrowing it midway is worse off.
    private static readonly ParquetWriterOptions ParquetOptions = new()
    {
        Codec = ParquetCodec.Zstd,
        ZstdLevel = 2,
        DeltaIntegers = true,
        RowGroupBytes = 16L << 20,
        DictionaryPageBytes = 1 << 20,
        ByteStreamSplitSlack = 0.2,
        FastZstdSlack = 0.08,
        FastZstdIntegerMinMatch = 6,
    };

    // The file once it is open; until then, the worker opening it (see Open), or the already opened file (Create).
    private IBatchSink? _sink;
    private readonly Task<IBatchSink> _opening;
    private bool _completed;

    private FeatureFileSink(Task<IBatchSink> opening) => _opening = opening;

    /// <summary>
    /// Creates <paramref name="path"/> (its folder too) for rows of <paramref name="schema"/> (the engine's output
    /// schema, fields labelled with field ids); the extension picks the format: .parquet or .csv.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument for another extension; Io when the file cannot be created.</exception>
    public static FeatureFileSink Create(string path, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        return new FeatureFileSink(Task.FromResult(OpenSink(path, schema, IsParquet(path))));
    }

    /// <summary>
    /// As <see cref="Create"/>, but the file is created on a worker while the caller goes on (reading its source):
    /// creating it costs time of its own, above all removing an earlier output of the same name, whose page-cache
    /// pages the kernel frees one by one (ftruncate of a 375 MB file: 0.25-0.34 s on a loaded 2-core VM; 39 MB:
    /// 7.5 ms; the unlink that replaced it, see <see cref="OutputFile"/>, frees the same pages), with the other cores
    /// idle. The extension is checked here; an error creating the file is thrown by the first <see cref="WriteDay"/>
    /// or <see cref="Complete"/>.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument for another extension than .parquet or .csv.</exception>
    public static FeatureFileSink Open(string path, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        bool parquet = IsParquet(path);
        return new FeatureFileSink(Task.Run(() => OpenSink(path, schema, parquet)));
    }

    private static bool IsParquet(string path)
    {
        bool parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        if (!parquet && !path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidArgument($"--output '{path}': must end in .parquet or .csv");
        }
        return parquet;
    }

    private static IBatchSink OpenSink(string path, Schema schema, bool parquet)
    {
        IBatchSink? sink = null;
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) { Directory.CreateDirectory(dir); }
            sink = parquet
                ? new ParquetSink(path, ParquetOptions)
                : new CsvSink(new StreamWriter(OutputFile.Create(path, FileShare.Read), new System.Text.UTF8Encoding(false), 1 << 16), ownsWriter: true);
            sink.Begin(ArrowSchemas.FromArrow(schema));
            return sink;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            sink?.Dispose();
            throw Errors.Io(path, e);
        }
    }

    // Calls come one at a time (WriteDay's contract, then Complete), so the first one waits for the file alone.
    private IBatchSink Sink => _sink ??= _opening.GetAwaiter().GetResult();

    /// <inheritdoc />
    /// <remarks>False: the rows are encoded (copied into the writer's pages) before <see cref="WriteDay"/> returns.</remarks>
    public bool KeepsBatches => false;

    /// <inheritdoc />
    public void WriteDay(DateOnly day, RecordBatch rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Sink.Write(rows);
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Complete()
    {
        if (_completed) { return; }
        _completed = true;
        Sink.Complete();
    }

    /// <summary>Closes the file (left as far as it was written unless completed); waits for it to be opened first.</summary>
    public void Dispose()
    {
        if (_sink is null)
        {
            // A file that could not be opened has nothing to close: its error went to WriteDay or Complete, or the
            // computation failed first and its own error is the one reported.
            try
            {
                _sink = _opening.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is FloeException or ArgumentException or NotSupportedException)
            {
                return;
            }
        }
        _sink?.Dispose();
    }
}
