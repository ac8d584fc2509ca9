using Floe.Core.Threading;
using Floe.Parquet.Writing;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>Items made ready in any order on several threads are written once each, in index order, one at a time (<see cref="InOrderWrites"/>).</summary>
public sealed class InOrderWritesTests
{
    [Test]
    public void Ready_InReverseOrder_WritesNothingUntilTheFirstThenAllInOrder()
    {
        var written = new List<int>();
        var writes = new InOrderWrites(4, written.Add);
        writes.Ready(3);
        writes.Ready(1);
        writes.Ready(2);
        Assert.That(written, Is.Empty);
        writes.Ready(0);
        Assert.That(written, Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(writes.Written, Is.EqualTo(4));
    }

    /// <summary>
    /// Every item written exactly once, in order, never two writes at once, and all of them by the time the last
    /// <see cref="InOrderWrites.Ready"/> has returned: an item made ready while another thread held the writing turn
    /// must not be left behind (many rounds, so that such races happen).
    /// </summary>
    [Test]
    public void Ready_FromSeveralThreadsInShuffledOrder_WritesEachOnceInOrderBeforeTheLastReturns()
    {
        var random = new Random(28);
        for (var round = 0; round < 2_000; round++)
        {
            var count = random.Next(1, 24);
            var order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
            var written = new List<int>();
            var inWrite = 0;
            var overlapped = false;
            var writes = new InOrderWrites(count, i =>
            {
                if (Interlocked.Increment(ref inWrite) != 1) overlapped = true;
                written.Add(i);
                if (i % 5 == 0) Thread.SpinWait(200);
                Interlocked.Decrement(ref inWrite);
            });
            SharedWork.For(count, 4, k => writes.Ready(order[k]));
            Assert.That(overlapped, Is.False, $"round {round}");
            Assert.That(written, Is.EqualTo(Enumerable.Range(0, count)), $"round {round}");
        }
    }

    [Test]
    public void Ready_WriteThrows_ThrowsToThatCallerAndWritesNothingMore()
    {
        var written = new List<int>();
        var writes = new InOrderWrites(4, i =>
        {
            if (i == 1) throw new IOException("disk full");
            written.Add(i);
        });
        writes.Ready(2);
        writes.Ready(1);
        var error = Assert.Throws<IOException>(() => writes.Ready(0));
        Assert.That(error!.Message, Is.EqualTo("disk full"));
        writes.Ready(3);
        Assert.That(written, Is.EqualTo(new[] { 0 }));
        Assert.That(writes.Written, Is.EqualTo(1));
    }
}
