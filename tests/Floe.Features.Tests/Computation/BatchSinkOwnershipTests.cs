using Apache.Arrow;
using Floe.Features.Computation;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// A batch sink may keep the batches it is given (<see cref="IFeatureBatchSink.WriteDay"/>): the batch run pools its
/// per-chunk output arrays, so a kept batch must not share them with later chunks. Checked with enough events for
/// several chunks: every kept batch must still hold, at the end, the values it held when it was handed over.
/// </summary>
public sealed class BatchSinkOwnershipTests
{
    [Test]
    public void Compute_SinkKeepsBatches_LaterChunksDoNotOverwriteThem()
    {
        // ~50k events a day over 6 days: chunks of a few days each (BatchComputation.MaxChunkRows).
        var events = TestEvents.Clean(7, 300_000, 400, 6 * 24 * 60 * TestEvents.Minute, dirty: true);
        var source = InMemoryEventSource.FromBatches([events.ToBatch()]);
        var sink = new KeepingSink();
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        var result = FeatureComputation.Compute(TestDefinitions.FastAggregations(), source, from, from.AddDays(7), sink);

        Assert.That(result.RowsWritten, Is.EqualTo(events.Length));
        Assert.That(sink.Batches, Has.Count.GreaterThan(3));
        for (int b = 0; b < sink.Batches.Count; b++)
        {
            Assert.That(Checksums(sink.Batches[b]), Is.EqualTo(sink.AtHandover[b]), $"batch {b} changed after it was handed over");
        }
    }

    private sealed class KeepingSink : IFeatureBatchSink
    {
        public List<RecordBatch> Batches { get; } = [];

        public List<ulong[]> AtHandover { get; } = [];

        public void WriteDay(DateOnly day, RecordBatch rows)
        {
            Batches.Add(rows);
            AtHandover.Add(Checksums(rows));
        }
    }

    // One hash per column of every row's validity and value.
    private static ulong[] Checksums(RecordBatch batch)
    {
        var sums = new ulong[batch.ColumnCount];
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            ulong hash = 14695981039346656037UL;
            var column = batch.Column(c);
            for (int i = 0; i < batch.Length; i++)
            {
                long bits = !column.IsValid(i) ? long.MinValue : column switch
                {
                    Int64Array a => a.GetValue(i)!.Value,
                    DoubleArray a => BitConverter.DoubleToInt64Bits(a.GetValue(i)!.Value),
                    TimestampArray a => a.GetValue(i)!.Value,
                    StringArray a => a.GetString(i).GetHashCode(StringComparison.Ordinal),
                    _ => throw new InvalidOperationException($"column {c}: unexpected {column.GetType().Name}"),
                };
                hash = (hash ^ (ulong)bits) * 1099511628211UL;
            }
            sums[c] = hash;
        }
        return sums;
    }
}
