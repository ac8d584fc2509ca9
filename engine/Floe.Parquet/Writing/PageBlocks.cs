using System.Buffers;

namespace Floe.Parquet.Writing;

/// <summary>
/// The largest blocks of one file's <see cref="PageStore"/>s, kept by the file between row groups. Returned to the
/// shared array pool, a row group's blocks overflowed it (it keeps a few dozen arrays of a size, and a 14-column
/// row group of the feature output holds over a hundred 64 KiB blocks), so every row group allocated most of them
/// anew: ~75 MB of garbage per 3M rows of the feature output, which the feature job's collections then paid for.
/// Shared by the file's columns, which encode in parallel; at most <see cref="MaxBytes"/> are kept.
/// </summary>
internal sealed class PageBlocks
{
    /// <summary>The most bytes of blocks kept between row groups.</summary>
    public const long MaxBytes = 32L << 20;

    private readonly Stack<byte[]> _free = new();

    /// <summary>Bytes of blocks held for the next row group.</summary>
    public long Bytes
    {
        get
        {
            lock (_free) return (long)_free.Count * PageStore.LargestBlock;
        }
    }

    /// <summary>An array of at least <paramref name="size"/> bytes: a kept block when the size is the largest.</summary>
    public byte[] Rent(int size)
    {
        if (size == PageStore.LargestBlock)
        {
            lock (_free)
            {
                if (_free.Count > 0) return _free.Pop();
            }
        }
        return ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>Takes back an array from <see cref="Rent"/>: the largest blocks are kept (up to <see cref="MaxBytes"/>), the rest go to the shared pool.</summary>
    public void Return(byte[] block)
    {
        if (block.Length == PageStore.LargestBlock)
        {
            lock (_free)
            {
                if ((long)(_free.Count + 1) * PageStore.LargestBlock <= MaxBytes)
                {
                    _free.Push(block);
                    return;
                }
            }
        }
        ArrayPool<byte>.Shared.Return(block);
    }

    /// <summary>Gives every kept block to the shared pool (the file is closed, or its memory was asked back).</summary>
    public void Release()
    {
        lock (_free)
        {
            while (_free.Count > 0) ArrayPool<byte>.Shared.Return(_free.Pop());
        }
    }
}
