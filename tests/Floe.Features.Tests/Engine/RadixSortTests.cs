using Floe.Features.Engine;

namespace Floe.Features.Tests.Engine;

public sealed class RadixSortTests
{
    [TestCase(1, 5000, 10, 1000L)]
    [TestCase(2, 20000, 3000, 86_400_000_000L)]
    [TestCase(3, 10000, 1, 5L)]
    public void TrySortByEntityAndTime_RandomRows_MatchesStableOrderBy(int seed, int n, int entities, long span)
    {
        var rnd = new Random(seed);
        var entity = new int[n];
        var time = new long[n];
        for (int i = 0; i < n; i++)
        {
            entity[i] = rnd.Next(entities);
            time[i] = 1_700_000_000_000_000L + rnd.NextInt64(span);
        }
        Assert.That(RadixSort.TrySortByEntityAndTime(entity, time, n, entities - 1, new ChunkArrays(), out var order, out var starts), Is.True);
        var expected = Enumerable.Range(0, n).OrderBy(i => entity[i]).ThenBy(i => time[i]).ThenBy(i => i).ToArray();
        Assert.That(order, Is.EqualTo(expected));
        Assert.That(starts[^1], Is.EqualTo(n));
        Assert.That(starts, Has.Length.EqualTo(entity.Distinct().Count() + 1));
    }
}
