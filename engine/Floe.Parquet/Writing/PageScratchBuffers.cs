namespace Floe.Parquet.Writing;

/// <summary>
/// The buffers one page is built and compressed in: its raw body, its compressed bytes, and the two buffers of the
/// encoding and zstd-level trials (an encoded sample and its compressed form). Each grows to about a page and its
/// compress bound, so a set costs a few MiB; sets are borrowed from a <see cref="PageScratchPool"/> for one call.
/// </summary>
internal sealed class PageScratchBuffers : IDisposable
{
    /// <summary>The page body being built (levels and encoded values).</summary>
    public GrowableBuffer Body { get; } = new(1 << 16);

    /// <summary>The compressed page body.</summary>
    public GrowableBuffer Compressed { get; } = new(1 << 16);

    /// <summary>A trial's encoded sample (delta or byte-stream-split).</summary>
    public GrowableBuffer Trial { get; } = new(1 << 16);

    /// <summary>A trial's compressed sample.</summary>
    public GrowableBuffer FastTrial { get; } = new(1 << 16);

    /// <inheritdoc />
    public void Dispose()
    {
        Body.Dispose();
        Compressed.Dispose();
        Trial.Dispose();
        FastTrial.Dispose();
    }
}
