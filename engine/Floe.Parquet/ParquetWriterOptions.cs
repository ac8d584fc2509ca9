using Floe.Core.Errors;

namespace Floe.Parquet;

/// <summary>Options of <see cref="ParquetDataWriter"/>. Defaults follow Iceberg's table-property defaults, except zstd level 3.</summary>
public sealed record ParquetWriterOptions
{
    /// <summary>Page compression (default zstd).</summary>
    public ParquetCodec Codec { get; init; } = ParquetCodec.Zstd;

    /// <summary>zstd level (default 3, <c>write.parquet.compression-level</c>); 19 is ~100x slower for a few % smaller files.</summary>
    public int ZstdLevel { get; init; } = 3;

    /// <summary>Maximum rows per row group (default 1,048,576).</summary>
    public int RowGroupRows { get; init; } = 1 << 20;

    /// <summary>Target uncompressed bytes per row group (default 128 MiB, <c>write.parquet.row-group-size-bytes</c>).</summary>
    public long RowGroupBytes { get; init; } = 128L << 20;

    /// <summary>Target uncompressed bytes per data page (default 1 MiB, <c>write.parquet.page-size-bytes</c>).</summary>
    public int PageBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Most rows per data page (Iceberg's <c>write.parquet.page-row-limit</c>); default no limit, pages are cut by
    /// <see cref="PageBytes"/> alone. A limit such as Iceberg's 20,000 lets the page index skip finer parts of a row
    /// group, but cost the unpruned filtered count on the bench data about 25% (bench/RESULTS.md, issue #14).
    /// </summary>
    public int PageRows { get; init; } = int.MaxValue;

    /// <summary>Write the Parquet page index (ColumnIndex and OffsetIndex) for non-repeated columns (default true).</summary>
    public bool PageIndex { get; init; } = true;

    /// <summary>
    /// Largest dictionary (PLAIN bytes) per column chunk before the column falls back to PLAIN for the rest of the
    /// file (default 2 MiB, <c>write.parquet.dict-size-bytes</c>); 0 disables dictionary encoding. Applies to
    /// string/binary columns and to the fixed-width INT32/INT64/FLOAT/DOUBLE ones (dates, times, timestamps and
    /// decimals up to precision 18 included); a fixed-width column whose first 32k values of a row group show the
    /// dictionary would not beat PLAIN also stays PLAIN from then on.
    /// </summary>
    public int DictionaryPageBytes { get; init; } = 2 << 20;

    /// <summary>
    /// Write INT32/INT64 columns (dates, times and timestamps included, decimals not) as DELTA_BINARY_PACKED instead
    /// of dictionary or PLAIN. Default false. Sorted or slowly changing columns (event times, running counts, keys
    /// in order) shrink to a few bits a value; a low-cardinality column in random order is better off without it.
    /// </summary>
    public bool DeltaIntegers { get; init; }

    /// <summary>
    /// Write FLOAT/DOUBLE values that are not dictionary encoded as BYTE_STREAM_SPLIT instead of PLAIN (default
    /// false). The bytes are only regrouped, so this pays with a compressing codec (zstd), not uncompressed.
    /// </summary>
    public bool ByteStreamSplitFloats { get; init; }

    /// <summary>
    /// When set (and <see cref="ByteStreamSplitFloats"/> is not), each FLOAT/DOUBLE column picks its value encoding by
    /// trial: a sample of its 1st, 4th, 12th, 20th, ... page of the file not dictionary encoded (every 8th after the
    /// 4th; the page's first quarter, at least 264 KiB) is compressed both PLAIN and BYTE_STREAM_SPLIT, and
    /// BYTE_STREAM_SPLIT is used up to the next trial when it came out at most this fraction larger than PLAIN (0.2:
    /// up to 20% larger; 0: only when no larger). zstd spends a third to a quarter of its PLAIN time on split
    /// streams of noisy doubles (means, ratios), while repetitive ones (running sums and maxima of decimal amounts)
    /// stay much smaller PLAIN. The choice depends on the rows written only, so the same rows give the same file.
    /// Default null: no trial.
    /// </summary>
    public double? ByteStreamSplitSlack { get; init; }

    /// <summary>
    /// When set (zstd only), INT32/INT64/FLOAT/DOUBLE columns also pick their compression effort by trial: the samples
    /// that settle the byte-stream-split choice (or, for integer columns and without that trial, samples of the same
    /// pages as <see cref="ByteStreamSplitSlack"/>'s) are compressed once more, in their chosen encoding, at
    /// <see cref="FastZstdLevel"/>, and that level is used up to the next trial when its sample came out at most this
    /// fraction larger than the smallest sample of the trial at <see cref="ZstdLevel"/> (0.05: up to 5% larger). On noisy doubles split into byte
    /// streams most of zstd's time goes to Huffman-coding streams it barely shrinks, which a negative level skips.
    /// Like the split trial, the choice depends on the rows written only. When set, the dictionary-encoded data pages
    /// (bit-packed indices) of those columns are compressed at <see cref="FastZstdLevel"/> without a trial. Default
    /// null: every page at <see cref="ZstdLevel"/>.
    /// </summary>
    public double? FastZstdSlack { get; init; }

    /// <summary>The zstd level of <see cref="FastZstdSlack"/>'s cheaper pages (default −1: zstd's fast mode, no Huffman-coded literals).</summary>
    public int FastZstdLevel { get; init; } = -1;

    /// <summary>
    /// The shortest match <see cref="FastZstdSlack"/>'s fast level looks for on DELTA_BINARY_PACKED pages (integer
    /// columns under <see cref="DeltaIntegers"/>), default 0: the 5 bytes doubles take. Bit-packed deltas barely
    /// compress (event times 0.95 on the feature bench), and most of zstd's work there is 5-byte matches worth little:
    /// at 6 the feature job's delta pages took half the instructions (entity ids, event times, counts: 123 M -> 65 M
    /// at 1M events) for 2.6% more bytes on them (bench/RESULTS.md, "1M feature job's CPU, round 25").
    /// </summary>
    public int FastZstdIntegerMinMatch { get; init; }

    /// <summary>
    /// Most columns encoded and compressed at once (default 0: one per processor; 1: all on the calling thread). The
    /// calling thread takes every column no pool thread has started (<see cref="Floe.Core.Threading.SharedWork"/>), so
    /// a busy pool slows a write down to the calling thread, never below it. The file's bytes do not depend on it.
    /// </summary>
    public int MaxParallelism { get; init; }

    /// <summary>
    /// Extra footer key/value entries, written in this order after <c>iceberg.schema</c> (e.g. the lineage of a
    /// derived file); a key equal to <c>iceberg.schema</c> is rejected. Null or empty writes none.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? KeyValueMetadata { get; init; }

    /// <summary>
    /// Compress zstd pages with ZstdSharp even where the system's libzstd was loaded (tests compare the two; the
    /// process-wide choice is the environment variable <c>FLOE_ZSTD=managed</c>).
    /// </summary>
    internal bool ManagedZstd { get; init; }

    /// <summary>Where column writers borrow their page buffers (tests give a pool of their own); null: <see cref="Writing.PageScratchPool.Shared"/>.</summary>
    internal Writing.PageScratchPool? ScratchPool { get; init; }

    /// <summary>Truncation length of string/binary bounds in the metrics (Iceberg's default mode <c>truncate(16)</c>).</summary>
    public int BoundsTruncateLength { get; init; } = 16;

    /// <summary>Parses an Iceberg codec name (<c>zstd</c>, <c>snappy</c>, <c>gzip</c>, <c>uncompressed</c>/<c>none</c>), case-insensitively.</summary>
    /// <exception cref="FloeException">InvalidArgument for other names.</exception>
    public static ParquetCodec ParseCodec(string name) => name.ToLowerInvariant() switch
    {
        "zstd" => ParquetCodec.Zstd,
        "snappy" => ParquetCodec.Snappy,
        "gzip" => ParquetCodec.Gzip,
        "uncompressed" or "none" => ParquetCodec.Uncompressed,
        _ => throw Errors.InvalidArgument($"write.parquet.compression-codec '{name}' is not supported (zstd, snappy, gzip, uncompressed)"),
    };

    /// <summary>
    /// Options from Iceberg table properties: <c>write.parquet.compression-codec</c>, <c>write.parquet.compression-level</c>,
    /// <c>write.parquet.row-group-size-bytes</c>, <c>write.parquet.page-size-bytes</c>, <c>write.parquet.page-row-limit</c>; absent keys keep the defaults.
    /// </summary>
    public static ParquetWriterOptions FromTableProperties(IReadOnlyDictionary<string, string>? properties)
    {
        var options = new ParquetWriterOptions();
        if (properties is null) return options;
        if (properties.TryGetValue("write.parquet.compression-codec", out var codec))
        {
            options = options with { Codec = ParseCodec(codec) };
        }
        if (properties.TryGetValue("write.parquet.compression-level", out var level) && level.Length > 0)
        {
            options = options with { ZstdLevel = ParseInt("write.parquet.compression-level", level) };
        }
        if (properties.TryGetValue("write.parquet.row-group-size-bytes", out var rg))
        {
            options = options with { RowGroupBytes = ParseInt("write.parquet.row-group-size-bytes", rg) };
        }
        if (properties.TryGetValue("write.parquet.dict-size-bytes", out var dict))
        {
            options = options with { DictionaryPageBytes = ParseInt("write.parquet.dict-size-bytes", dict) };
        }
        if (properties.TryGetValue("write.parquet.page-size-bytes", out var page))
        {
            options = options with { PageBytes = ParseInt("write.parquet.page-size-bytes", page) };
        }
        if (properties.TryGetValue("write.parquet.page-row-limit", out var pageRows))
        {
            options = options with { PageRows = ParseInt("write.parquet.page-row-limit", pageRows) };
        }
        return options;
    }

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw Errors.InvalidArgument($"table property {key}='{value}' is not a positive integer");
}
