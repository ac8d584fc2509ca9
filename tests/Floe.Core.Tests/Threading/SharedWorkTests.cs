using Floe.Core.Threading;

namespace Floe.Core.Tests.Threading;

public sealed class SharedWorkTests
{
    /// <summary>Every index runs exactly once, and has finished (on whichever thread ran it) when For returns.</summary>
    [TestCase(0, 2)]
    [TestCase(1, 2)]
    [TestCase(2, 2)]
    [TestCase(7, 1)]
    [TestCase(7, 2)]
    [TestCase(64, 4)]
    public void For_RunsEveryIndexOnce_AllFinishedOnReturn(int count, int workers)
    {
        var runs = new int[count];
        var finished = new int[count];
        SharedWork.For(count, workers, i =>
        {
            Interlocked.Increment(ref runs[i]);
            // Long enough that a helper is still inside its index if For returned without waiting for it.
            Thread.Sleep(5);
            Volatile.Write(ref finished[i], 1);
        });
        Assert.That(runs, Is.All.EqualTo(1));
        Assert.That(finished, Is.All.EqualTo(1));
    }

    [Test]
    public void For_BodyThrows_RethrowsTheExceptionOnTheCaller()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SharedWork.For(16, 2, i =>
        {
            if (i == 5) { throw new InvalidOperationException("index 5"); }
        }));
        Assert.That(error!.Message, Is.EqualTo("index 5"));
    }
}
