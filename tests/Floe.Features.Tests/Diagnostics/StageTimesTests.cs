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

    [Test]
    public void Mark_AppearsOnTheMonotonicClockAndSinceTheReset_OnlyOnceReached()
    {
        StageTimes.Reset();
        long before = System.Diagnostics.Stopwatch.GetTimestamp();
        StageTimes.Mark(JobMark.ReadEnd);
        long after = System.Diagnostics.Stopwatch.GetTimestamp();
        var text = StageTimes.Describe();

        var since = System.Text.RegularExpressions.Regex.Match(text, @"marks \(s since start\): start 0\.000, read-end (\d+\.\d{3});");
        Assert.That(since.Success, Is.True, text);
        var clock = System.Text.RegularExpressions.Regex.Match(text, @"marks \(CLOCK_MONOTONIC s\): start (\d+\.\d{6}), read-end (\d+\.\d{6})$");
        Assert.That(clock.Success, Is.True, text);
        double at = double.Parse(clock.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        double frequency = System.Diagnostics.Stopwatch.Frequency;
        Assert.That(at, Is.InRange((before / frequency) - 1e-6, (after / frequency) + 1e-6), "the mark's clock reading");
        Assert.That(text, Does.Not.Contain("chunks-end"), "a mark not reached is left out");

        StageTimes.Reset();
        Assert.That(StageTimes.Describe(), Does.Not.Contain("read-end"), "a reset forgets the marks");
    }
}
