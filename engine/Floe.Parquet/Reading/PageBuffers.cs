namespace Floe.Parquet.Reading;

/// <summary>
/// Decompression buffers for large pages, kept by one <see cref="ParquetDataReader"/> from row group to row group
/// and dropped with it: a file written with one page per column chunk (8 MB a column for a million-row row group)
/// otherwise left a fresh page-sized array per column and row group behind (the feature job over 10M events: ~240 MB
/// of large-object garbage and its page faults). Thread-safe: a row group's columns decode in parallel.
/// </summary>
internal sealed class PageBuffers
{
    private readonly List<byte[]> _free = [];
    private readonly int _keep;

    /// <param name="keep">The most buffers kept (about the columns decoded at once).</param>
    public PageBuffers(int keep) => _keep = keep;

    /// <summary>A buffer of at least <paramref name="length"/> bytes, contents undefined.</summary>
    public byte[] Rent(int length)
    {
        lock (_free)
        {
            int best = -1;
            for (int i = 0; i < _free.Count; i++)
            {
                if (_free[i].Length >= length && (best < 0 || _free[i].Length < _free[best].Length)) best = i;
            }
            if (best >= 0)
            {
                var buffer = _free[best];
                _free.RemoveAt(best);
                return buffer;
            }
        }
        return GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Keeps <paramref name="buffer"/> for a later <see cref="Rent"/> (the smallest kept one makes way for a larger one).</summary>
    public void Return(byte[] buffer)
    {
        lock (_free)
        {
            if (_free.Count < _keep)
            {
                _free.Add(buffer);
                return;
            }
            int smallest = 0;
            for (int i = 1; i < _free.Count; i++)
            {
                if (_free[i].Length < _free[smallest].Length) smallest = i;
            }
            if (_free[smallest].Length < buffer.Length) _free[smallest] = buffer;
        }
    }
}
