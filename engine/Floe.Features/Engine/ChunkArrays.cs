namespace Floe.Features.Engine;

/// <summary>
/// The large per-chunk arrays an engine rents (feature values, sort keys), pooled per engine rather than in the
/// process-wide shared pools: those keep every returned array for the life of the process, which held hundreds of
/// megabytes after a batch run; these go away with the engine.
/// </summary>
internal sealed class ChunkArrays
{
    // Enough for two arrays per feature (sorted values and row-order values) of a few dozen features.
    private const int ArraysPerKind = 64;

    public ChunkPool<long> Longs { get; } = new(ArraysPerKind);

    public ChunkPool<double> Doubles { get; } = new(ArraysPerKind);

    public ChunkPool<ulong> Keys { get; } = new(4);

    public ChunkPool<int> Ints { get; } = new(4);
}
