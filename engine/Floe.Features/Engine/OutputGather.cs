namespace Floe.Features.Engine;

/// <summary>
/// How a chunk's row gathers (output keys and times in output order) are split over threads: into contiguous blocks
/// of at least <see cref="MinBlockRows"/> rows, a few per thread so the caller and helpers that start late (the writer's
/// loops keep the pool busy) share what is left (<see cref="SharedWork"/>). Every row lands in the same place whatever
/// the split, so the output does not depend on it.
/// </summary>
internal static class OutputGather
{
    /// <summary>Fewer rows than this stay one block (a thread-pool hand-off costs microseconds; a row costs ~ns).</summary>
    public const int MinBlockRows = 16_384;

    /// <summary>Blocks per thread, so a thread that starts late takes a share rather than the caller waiting for it.</summary>
    public const int BlocksPerThread = 4;

    /// <summary>The number of blocks <paramref name="rows"/> rows are gathered in on up to <paramref name="parallelism"/> threads (1: serially).</summary>
    public static int Blocks(int rows, int parallelism) =>
        parallelism <= 1 || rows < 2 * MinBlockRows ? 1 : Math.Min(parallelism * BlocksPerThread, rows / MinBlockRows);

    /// <summary>Block <paramref name="block"/> of <paramref name="blocks"/> over <paramref name="rows"/> rows: [from, to), contiguous, covering every row once.</summary>
    public static (int From, int To) Block(int rows, int blocks, int block) =>
        ((int)((long)rows * block / blocks), (int)((long)rows * (block + 1) / blocks));
}
