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

    // Sorted order, output order, output positions and the output's entity ids: a few in flight at once.
    public ChunkPool<int> Ints { get; } = new(8);

    // Each aggregation's validity flags, returned once read into a bitmap.
    public ChunkPool<bool> Bools { get; } = new(ArraysPerKind);
}
