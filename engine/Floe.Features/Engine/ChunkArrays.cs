using System.Buffers;

namespace Floe.Features.Engine;

/// <summary>
/// The large per-chunk arrays an engine rents (feature values, sort keys), pooled per engine rather than in the
/// process-wide shared pools: those keep every returned array for the life of the process, which held hundreds of
/// megabytes after a batch run; these go away with the engine.
/// </summary>
internal sealed class ChunkArrays
{
    // Enough for two arrays per feature (sorted values and row-order values) of a few dozen features.
    private const int ArraysPerSize = 64;
    private const int LargestArray = 1 << 28;

    public ArrayPool<long> Longs { get; } = ArrayPool<long>.Create(LargestArray, ArraysPerSize);

    public ArrayPool<double> Doubles { get; } = ArrayPool<double>.Create(LargestArray, ArraysPerSize);

    public ArrayPool<ulong> Keys { get; } = ArrayPool<ulong>.Create(LargestArray, 4);

    public ArrayPool<int> Ints { get; } = ArrayPool<int>.Create(LargestArray, 4);
}
