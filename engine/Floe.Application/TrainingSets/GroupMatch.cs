using Apache.Arrow;
using Apache.Arrow.Types;

namespace Floe.Application.TrainingSets;

/// <summary>
/// What one group's join found: the feature batches kept (feature columns only) and, for each spine row, the batch
/// and row of its match (batch -1: no match), and how many feature rows were kept and how many spine rows matched.
/// </summary>
internal sealed record GroupMatch(
    ResolvedGroup Group,
    long? SnapshotId,
    IReadOnlyList<IArrowArray[]> Chunks,
    IReadOnlyList<IArrowType> Types,
    int[] ChunkOf,
    int[] RowOf,
    long FeatureRowsRead,
    long Matched);
