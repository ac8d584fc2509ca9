using Floe.Features.Computation;
using NUnit.Framework;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// <see cref="BatchComputation.PostReadCollection"/> and <see cref="BatchComputation.GarbageBudget"/>: a file run's
/// post-read heap up to the 10M-event bench's size keeps its freed memory for the chunks, a larger one gives it back,
/// and the garbage let build up between chunks stays near the floor for that heap, which is what keeps the kept run's
/// peak below DuckDB's (bench/RESULTS.md, "keep the post-read heap").
/// </summary>
public sealed class BatchMemoryPolicyTests
{
    private const long MiB = 1L << 20;

    /// <summary>The 10M-event bench's heap at the end of its read (~250-270 MiB) and the 1M bench's (~50 MiB) are kept.</summary>
    [TestCase(50)]
    [TestCase(270)]
    [TestCase(512)]
    public void PostReadHeap_UpToTheKeepSize_IsKept(long heapMiB) =>
        Assert.That(BatchComputation.PostReadCollection(heapMiB * MiB), Is.EqualTo(GCCollectionMode.Forced));

    [Test]
    public void PostReadHeap_AboveTheKeepSize_IsGivenBack() =>
        Assert.That(BatchComputation.PostReadCollection((512 * MiB) + 1), Is.EqualTo(GCCollectionMode.Aggressive));

    /// <summary>
    /// Before a large event arena (10M events over 7 days, a 7-day window: ~182 MiB) the freed memory is given back
    /// whatever the heap; the Zipf 10M bench's arena (~75 MiB) keeps it.
    /// </summary>
    [TestCase(270, 75, GCCollectionMode.Forced)]
    [TestCase(270, 128, GCCollectionMode.Forced)]
    [TestCase(270, 129, GCCollectionMode.Aggressive)]
    [TestCase(50, 182, GCCollectionMode.Aggressive)]
    public void PostReadHeap_BeforeALargeArena_IsGivenBack(long heapMiB, long arenaMiB, GCCollectionMode expected) =>
        Assert.That(BatchComputation.PostReadCollection(heapMiB * MiB, arenaMiB * MiB), Is.EqualTo(expected));

    /// <summary>
    /// A day-by-day read beside the 7-day set's arena (~191 MiB) bounds its decoded batches' garbage as it reads;
    /// beside the Zipf tables' (~75 MiB at 10M, a few MiB at 1M) and up to the limit it leaves that to the chunks.
    /// </summary>
    [TestCase(4, false)]
    [TestCase(75, false)]
    [TestCase(128, false)]
    [TestCase(129, true)]
    [TestCase(191, true)]
    public void ReadGarbage_BesideALargeArena_IsBoundedAsItIsRead(long arenaMiB, bool expected) =>
        Assert.That(BatchComputation.BoundsReadGarbage(arenaMiB * MiB), Is.EqualTo(expected));

    /// <summary>
    /// The 10M bench computes with ~350-400 MiB live after a collection: its budget stays within a MiB of the 16 MiB
    /// floor (a twelfth, ~30 MiB, let the kept heap's peak reach 507 MiB); a small heap gets the floor itself.
    /// </summary>
    [TestCase(100, 16)]
    [TestCase(384, 16)]
    [TestCase(400, 16)]
    public void GarbageBudget_NearTheFloorForTheBenchHeap(long heapMiB, long budgetMiB) =>
        Assert.That(BatchComputation.GarbageBudget(heapMiB * MiB), Is.InRange(budgetMiB * MiB, (budgetMiB + 1) * MiB));

    /// <summary>A much larger heap still gets a share of itself, so its collections stay in proportion to what it allocates.</summary>
    [Test]
    public void GarbageBudget_LargeHeap_ItsShare() =>
        Assert.That(BatchComputation.GarbageBudget(2400 * MiB), Is.EqualTo(100 * MiB));
}
