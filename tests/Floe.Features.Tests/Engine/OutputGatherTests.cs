using Floe.Features.Engine;

namespace Floe.Features.Tests.Engine;

/// <summary>
/// How a chunk's output gathers are split over threads (<see cref="OutputGather"/>): every row in exactly one block,
/// in order, and small chunks or one thread left as one block.
/// </summary>
public sealed class OutputGatherTests
{
    [TestCase(0, 1)]
    [TestCase(1, 4)]
    [TestCase(OutputGather.MinBlockRows, 1)]
    [TestCase(333_333, 7)]
    [TestCase(333_333, 16)]
    [TestCase(1_000_003, 64)]
    public void Block_CoversEveryRowOnceInOrder(int rows, int blocks)
    {
        var seen = new int[rows];
        int next = 0;
        for (int b = 0; b < blocks; b++)
        {
            var (from, to) = OutputGather.Block(rows, blocks, b);
            Assert.That(from, Is.EqualTo(next), $"block {b} starts where the last ended");
            Assert.That(to, Is.GreaterThanOrEqualTo(from));
            for (int i = from; i < to; i++) { seen[i]++; }
            next = to;
        }
        Assert.That(next, Is.EqualTo(rows), "the last block ends at the last row");
        Assert.That(seen, Is.All.EqualTo(1));
    }

    [Test]
    public void Blocks_OneThreadOrFewRowsIsOneBlock_ElseAFewPerThreadOfAtLeastTheMinimum()
    {
        Assert.That(OutputGather.Blocks(1_000_000, 1), Is.EqualTo(1), "one thread");
        Assert.That(OutputGather.Blocks((2 * OutputGather.MinBlockRows) - 1, 16), Is.EqualTo(1), "too few rows to split");
        Assert.That(OutputGather.Blocks(2 * OutputGather.MinBlockRows, 16), Is.EqualTo(2));
        // The 10M-event bench's one-day chunk: a few blocks per thread, none below the minimum.
        Assert.That(OutputGather.Blocks(333_333, 2), Is.EqualTo(2 * OutputGather.BlocksPerThread));
        int many = OutputGather.Blocks(333_333, 16);
        Assert.That(many, Is.EqualTo(333_333 / OutputGather.MinBlockRows));
        Assert.That(333_333 / many, Is.GreaterThanOrEqualTo(OutputGather.MinBlockRows));
    }
}
