using System.Buffers;

namespace Floe.Parquet.Writing;

/// <summary>
/// The compressed pages of one column chunk, kept until the row group is written: a list of pooled blocks that
/// grow from 4 KiB to 64 KiB, so a chunk never needs one large contiguous array (no copy on growth, no
/// large-object-heap block that outlives the row group) and a small chunk holds little.
/// </summary>
internal sealed class PageStore : IDisposable
{
    private const int FirstBlock = 4096;

    /// <summary>The largest block: below the large-object threshold, so blocks are compacted like any small object.</summary>
    public const int LargestBlock = 64 * 1024;

    private readonly List<byte[]> _blocks = new();
    private readonly PageBlocks? _pool;
    private int _lastUsed;

    /// <param name="pool">Where blocks come from and go back to (the file's); null: the shared array pool.</param>
    public PageStore(PageBlocks? pool = null) => _pool = pool;

    /// <summary>Bytes stored.</summary>
    public long Length { get; private set; }

    /// <summary>Bytes the blocks hold, used or not.</summary>
    public long Capacity { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_blocks.Count == 0 || _lastUsed == _blocks[^1].Length)
            {
                var size = _blocks.Count == 0 ? FirstBlock : Math.Min(LargestBlock, _blocks[^1].Length * 2);
                var block = _pool is not null ? _pool.Rent(size) : ArrayPool<byte>.Shared.Rent(size);
                _blocks.Add(block);
                Capacity += block.Length;
                _lastUsed = 0;
            }
            var last = _blocks[^1];
            var n = Math.Min(bytes.Length, last.Length - _lastUsed);
            bytes[..n].CopyTo(last.AsSpan(_lastUsed));
            _lastUsed += n;
            Length += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Writes the stored bytes, in order.</summary>
    public void WriteTo(Action<ReadOnlySpan<byte>> write)
    {
        for (var i = 0; i < _blocks.Count; i++)
        {
            var used = i == _blocks.Count - 1 ? _lastUsed : _blocks[i].Length;
            if (used > 0) write(_blocks[i].AsSpan(0, used));
        }
    }

    /// <summary>Empties the store and gives its blocks back to their pool.</summary>
    public void Clear()
    {
        foreach (var block in _blocks)
        {
            if (_pool is not null) _pool.Return(block);
            else ArrayPool<byte>.Shared.Return(block);
        }
        _blocks.Clear();
        _lastUsed = 0;
        Length = 0;
        Capacity = 0;
    }

    public void Dispose() => Clear();
}
