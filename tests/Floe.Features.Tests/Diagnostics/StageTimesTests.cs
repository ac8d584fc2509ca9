using Floe.Features.Diagnostics;
using NUnit.Framework;

namespace Floe.Features.Tests.Diagnostics;

/// <summary>The profile's stage names and clocks (<see cref="StageTimes"/>), which the feature job reads at every stage.</summary>
[TestFixture]
public sealed class StageTimesTests
{
    [Test]
    public void Names_AreTheStagesInOrder()
    {
        // Spelled out for the NativeAOT binary's sake: they must stay in step with the enum, whose values index them.
        Assert.That(StageTimes.Names, Is.EqualTo(Enum.GetNames<Stage>()));
    }

    [Test]
    public void Now_CountsTheProcessesCpuAndAllocations()
    {
        var before = StageTimes.Now;
        // Work enough for the CPU clock (microseconds) to move, and an allocation the counter must see.
        long sum = 0;
        var kept = new long[1 << 16];
        for (int round = 0; round < 200 && StageTimes.Now.CpuTicks == before.CpuTicks; round++)
        {
            for (int i = 0; i < kept.Length; i++) { sum += kept[i] ^= i * 2654435761L; }
        }
        var after = StageTimes.Now;
        Assert.That(sum, Is.Not.EqualTo(42));
        Assert.That(after.CpuTicks, Is.GreaterThan(before.CpuTicks), "process CPU moves with work");
        // The counter is the GC's imprecise one (the allocation contexts' unused ends are not subtracted exactly).
        Assert.That(after.AllocatedBytes - before.AllocatedBytes, Is.GreaterThanOrEqualTo(kept.Length * 4L), "the array counts as allocated");
        Assert.That(after.WallTimestamp, Is.GreaterThan(before.WallTimestamp));
    }

    [Test]
    public void Describe_NamesEveryStage()
    {
        StageTimes.Reset();
        var text = StageTimes.Describe();
        foreach (var name in Enum.GetNames<Stage>())
        {
            Assert.That(text, Does.Contain(name.ToLowerInvariant() + " "), name);
        }
    }
}
