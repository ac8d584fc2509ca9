using Floe.Parquet.Writing;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>The encoding trials' decisions from sample sizes, and their schedule (<see cref="TrialRules"/>).</summary>
public sealed class TrialRulesTests
{
    [Test]
    public void FastBound_PlainSample_AgainstTheSmallestWithTheFastSlack()
    {
        // PLAIN chosen: the smallest of the trial (here the split sample, 1,000) with 8%, whatever PLAIN's own size.
        Assert.That(TrialRules.FastBound(smallest: 1_000, chosenSize: 1_100, split: false, fastSlack: 0.08, splitSlack: 0.2), Is.EqualTo(1_080).Within(1e-9));
    }

    [Test]
    public void FastBound_SplitSample_AgainstItsOwnSizeCappedByTheSplitSlack()
    {
        Assert.Multiple(() =>
        {
            // Split chosen at 7.6% over PLAIN (the 1M feature output's mean_1d page 0): the fast split sample may be
            // 8% over the split sample (1,076 * 1.08 = 1,162), where 8% over PLAIN's 1,000 kept it at level 2.
            Assert.That(TrialRules.FastBound(smallest: 1_000, chosenSize: 1_076, split: true, fastSlack: 0.08, splitSlack: 0.2), Is.EqualTo(1_162.08).Within(1e-9));
            // But never past the split slack over the smallest: 1,150 * 1.08 = 1,242 > 1,000 * 1.2.
            Assert.That(TrialRules.FastBound(smallest: 1_000, chosenSize: 1_150, split: true, fastSlack: 0.08, splitSlack: 0.2), Is.EqualTo(1_200).Within(1e-9));
            // Split smallest: its own size is the smallest.
            Assert.That(TrialRules.FastBound(smallest: 900, chosenSize: 900, split: true, fastSlack: 0.08, splitSlack: 0.2), Is.EqualTo(972).Within(1e-9));
        });
    }

    [Test]
    public void SplitChosen_UpToTheSlack()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrialRules.SplitChosen(1_000, 1_200, 0.2), Is.True);
            Assert.That(TrialRules.SplitChosen(1_000, 1_201, 0.2), Is.False);
            Assert.That(TrialRules.SplitChosen(1_000, 999, -1), Is.False);
        });
    }

    [Test]
    public void Clear_MoreThanTheMarginEitherSideOfTheBound()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrialRules.Clear(969, 1_000), Is.True, "3.1% under");
            Assert.That(TrialRules.Clear(971, 1_000), Is.False, "2.9% under");
            Assert.That(TrialRules.Clear(1_000, 1_000), Is.False, "on the bound");
            Assert.That(TrialRules.Clear(1_029, 1_000), Is.False, "2.9% over");
            Assert.That(TrialRules.Clear(1_031, 1_000), Is.True, "3.1% over");
        });
    }

    [Test]
    public void NextTrial_Pages0And3ThenEvery8th_OneSkippedWhenSettled()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrialRules.NextTrial(0, settled: false), Is.EqualTo(3));
            Assert.That(TrialRules.NextTrial(3, settled: false), Is.EqualTo(11));
            Assert.That(TrialRules.NextTrial(11, settled: false), Is.EqualTo(19));
            Assert.That(TrialRules.NextTrial(3, settled: true), Is.EqualTo(19));
            Assert.That(TrialRules.NextTrial(19, settled: true), Is.EqualTo(35));
        });
    }
}
