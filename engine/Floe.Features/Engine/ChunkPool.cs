namespace Floe.Features.Engine;

/// <summary>
/// Reusable arrays for one kind of per-chunk buffer. Unlike <see cref="System.Buffers.ArrayPool{T}"/>, which rounds
/// every request up to a power of two (a 333k-row chunk got 524,288-element arrays: 57% more than it needed, for a
/// dozen feature arrays per chunk and two chunks in flight), an array here is sized to the request plus a sixteenth,
/// and is reused by any later request it can hold. Chunks of one run are about the same size, so the pool settles on
/// arrays just larger than the largest chunk; arrays too small for a request are dropped, not kept.
/// </summary>
internal sealed class ChunkPool<T>
{
    private readonly int _keep;
    private readonly List<T[]> _free = [];

    /// <param name="keep">The most arrays kept for reuse; more returned arrays are left to the GC.</param>
    public ChunkPool(int keep) => _keep = keep;

    /// <summary>An array of at least <paramref name="length"/> elements, contents undefined.</summary>
    public T[] Rent(int length)
    {
        lock (_free)
        {
            int best = -1;
            for (int i = 0; i < _free.Count; i++)
            {
                if (_free[i].Length >= length && (best < 0 || _free[i].Length < _free[best].Length)) { best = i; }
            }
            if (best >= 0)
            {
                var array = _free[best];
                _free[best] = _free[^1];
                _free.RemoveAt(_free.Count - 1);
                return array;
            }
            // Nothing large enough: the chunks have grown, so the smaller arrays would only be held, never used.
            _free.RemoveAll(a => a.Length < length);
        }
        long size = Math.Min(Array.MaxLength, length + ((long)length / 16));
        return GC.AllocateUninitializedArray<T>((int)size);
    }

    /// <summary>Hands <paramref name="array"/> back for a later <see cref="Rent"/>.</summary>
    public void Return(T[] array)
    {
        lock (_free)
        {
            if (_free.Count < _keep) { _free.Add(array); }
        }
    }
}
