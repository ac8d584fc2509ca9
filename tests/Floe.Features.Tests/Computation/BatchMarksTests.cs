using Apache.Arrow;
using Floe.Features.Computation;
using Floe.Features.Diagnostics;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// The points of a batch run that <c>--profile</c> prints (read end, post-read collection end, last chunk, last
/// write, sink complete) and the job's own collections as the "collect" stage: a timeline taken from outside the
/// process (bench/cli/timeline.py) places its phases by them, so each must be reached once, in the run's order.
/// </summary>
public sealed class BatchMarksTests
{
    [Test]
    public void Compute_FileSource_MarksEveryPhaseInOrder_AndCountsItsCollections()
    {
        // 6 days of events in 3 batches, all output: one scan, filed by day, computed in chunks.
        var events = TestEvents.Clean(5, 60_000, 200, 6 * 24 * 60 * TestEvents.Minute, dirty: false);
        var batches = new List<RecordBatch>();
        for (int start = 0; start < events.Length; start += 20_000) { batches.Add(events.ToBatch(start, Math.Min(20_000, events.Length - start))); }
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        var sink = new CountingSink();

        StageProfile.Reset();
        FeatureComputation.Compute(TestDefinitions.FastAggregations(), InMemoryEventSource.FromBatches(batches), from, from.AddDays(6), sink, parallelism: 2);
        var text = StageProfile.Describe();
        Assert.That(sink.Rows, Is.GreaterThan(0));

        var marks = System.Text.RegularExpressions.Regex.Match(text, @"marks \(s since start\): start 0\.000, read-end (\S+), post-read-gc-end (\S+), chunks-end (\S+), writes-end (\S+), complete-end (\S+);");
        Assert.That(marks.Success, Is.True, text);
        var at = new double[5];
        for (int i = 0; i < at.Length; i++) { at[i] = double.Parse(marks.Groups[i + 1].Value, System.Globalization.CultureInfo.InvariantCulture); }
        Assert.That(at, Is.Ordered, "the phases in the run's order");
        Assert.That(at[0], Is.GreaterThanOrEqualTo(0.0));
        // The post-read collection at least, with its wall and CPU.
        Assert.That(System.Text.RegularExpressions.Regex.IsMatch(text, @"\bcollect \d+\.\d\d s/\d+\.\d\d CPU-s/\d+\.\d\d thread-CPU-s/\d+ MiB"), Is.True, text);
    }

    private sealed class CountingSink : Output.IFeatureBatchSink
    {
        public long Rows { get; private set; }

        public void WriteDay(DateOnly day, RecordBatch rows) => Rows += rows.Length;
    }
}
