using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet.Tests;

/// <summary>
/// The writer's column loops with every thread-pool worker busy: the calling thread encodes every column itself rather
/// than waiting for a pool thread (a feature job's kernels keep the pool busy beside its writer). Changes process-wide
/// thread-pool limits, so it runs alone.
/// </summary>
[NonParallelizable]
public sealed class ParquetDataWriterBusyPoolTests
{
    private static readonly Schema PoolSchema = new(0, new[]
    {
        new NestedField(1, "a", true, PrimitiveType.Long),
        new NestedField(2, "b", true, PrimitiveType.Double),
        new NestedField(3, "c", false, PrimitiveType.Double),
    });

    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-pq-pool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void WriteAndClose_EveryPoolWorkerBusy_CallerWritesAllColumns()
    {
        const int rows = 40_000; // above the 16,384 rows from which a batch's columns are appended in parallel
        var path = Path.Combine(_dir, "busy.parquet");
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        // No pool thread may be added while the workers are blocked: the writer's loops get none.
        Assume.That(ThreadPool.SetMaxThreads(Math.Max(minWorkers, Environment.ProcessorCount), maxIo), Is.True);
        using var gate = new ManualResetEventSlim();
        Exception? failure = null;
        var writer = new Thread(() =>
        {
            try
            {
                using var w = new ParquetDataWriter(new LocalFileIO(), path, PoolSchema, "{}", new ParquetWriterOptions { PageBytes = 64 << 10 });
                using var batch = PoolBatch(rows);
                w.Write(batch);
                w.Close();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        bool finished;
        try
        {
            // More blockers than the pool may have threads: once items wait in its queue, every worker is blocked.
            for (var i = 0; i < 256; i++) ThreadPool.UnsafeQueueUserWorkItem(static g => g.Wait(), gate, preferLocal: false);
            SpinWait.SpinUntil(() => ThreadPool.PendingWorkItemCount > 0);
            writer.Start();
            // A guard against a hang, not a timing check: a loop waiting for a pool thread waits until the gate opens.
            finished = writer.Join(TimeSpan.FromSeconds(60));
        }
        finally
        {
            gate.Set();
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
        }
        writer.Join();
        Assert.That(finished, Is.True, "the write waited for a pool thread while every worker was busy");
        Assert.That(failure, Is.Null);
        var bad = 0;
        var count = 0;
        foreach (var row in DuckDb.Rows($"SELECT a, b, c FROM read_parquet({DuckDb.Quote(path)})"))
        {
            var r = (int)row.GetInt64(0);
            count++;
            if (!row.GetDouble(1).Equals(r * 0.5) || (r % 7 == 0 ? !row.IsDBNull(2) : row.IsDBNull(2) || !row.GetDouble(2).Equals(r / 3.0)))
            {
                bad++;
            }
        }
        Assert.That(count, Is.EqualTo(rows));
        Assert.That(bad, Is.Zero);
    }

    private static RecordBatch PoolBatch(int count)
    {
        var a = new long?[count];
        var b = new double?[count];
        var c = new double?[count];
        for (var r = 0; r < count; r++)
        {
            a[r] = r;
            b[r] = r * 0.5;
            c[r] = r % 7 == 0 ? null : r / 3.0;
        }
        return new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(PoolSchema), new[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, a),
            ArrowTestData.Primitive<double>(DoubleType.Default, b),
            ArrowTestData.Primitive<double>(DoubleType.Default, c),
        }, count);
    }
}
