using Floe.Parquet.Writing;
using NUnit.Framework;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// Column writers borrow the buffers a page is built and compressed in for one call and give them back
/// (<see cref="PageScratchPool"/>): a writer used from one thread after another needs one set, not one per thread, and
/// none stays with a column writer between calls. The file is the same as through the shared pool.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    // Small pages and both trials, so every slice seals several pages and samples some of them.
    private static readonly ParquetWriterOptions ScratchOptions = new()
    {
        RowGroupRows = 40_000,
        PageBytes = 64 << 10,
        DictionaryPageBytes = 0,
        DeltaIntegers = true,
        ByteStreamSplitSlack = 0.2,
        FastZstdSlack = 0.08,
    };

    [Test]
    public void Write_FromOneThreadAfterAnother_OneBorrowedSetServesThemAll_AndTheFileIsTheSame()
    {
        var pool = new PageScratchPool(keep: 8);
        var slices = Enumerable.Range(0, 10).Select(b => (b * 20_000, 20_000)).ToArray();
        var path = Path.Combine(_dir, "scratch-threads.parquet");
        using (var writer = new ParquetDataWriter(new Floe.Core.Io.LocalFileIO(), path, DirectSchema, "{}", ScratchOptions with { MaxParallelism = 1, ScratchPool = pool }))
        {
            // Each slice on a thread of its own, one after another: a set per thread would make ten.
            foreach (var (from, count) in slices)
            {
                var thread = new Thread(() =>
                {
                    using var batch = DirectBatch(from, count);
                    writer.Write(batch);
                });
                thread.Start();
                thread.Join();
                Assert.That(pool.Idle, Is.EqualTo(pool.Created), "a column writer kept its page buffers after the write");
            }
            writer.Close();
        }
        Assert.That(pool.Created, Is.EqualTo(1));
        Assert.That(pool.Idle, Is.EqualTo(1));

        var shared = WriteDirect("scratch-shared.parquet", ScratchOptions with { MaxParallelism = 1 }, slices);
        Same.Sequence(File.ReadAllBytes(path), File.ReadAllBytes(shared));
    }

    [Test]
    public void Write_ColumnsInParallel_AtMostASetPerColumn_AllGivenBack_AndTheFileIsTheSame()
    {
        var pool = new PageScratchPool(keep: 64);
        var slices = Enumerable.Range(0, 9).Select(b => (b * 30_000, 30_000)).ToArray();
        var parallel = WriteDirect("scratch-parallel.parquet", ScratchOptions with { ScratchPool = pool }, slices);
        Assert.That(pool.Created, Is.InRange(1, DirectSchema.Fields.Count));
        Assert.That(pool.Idle, Is.EqualTo(pool.Created));

        var serial = WriteDirect("scratch-serial.parquet", ScratchOptions with { MaxParallelism = 1 }, slices);
        Same.Sequence(File.ReadAllBytes(parallel), File.ReadAllBytes(serial));
    }

    [Test]
    public void Return_BeyondTheKeep_TheSetIsDropped()
    {
        var pool = new PageScratchPool(keep: 2);
        var sets = Enumerable.Range(0, 4).Select(_ => pool.Rent()).ToList();
        Assert.That(sets.Distinct().Count(), Is.EqualTo(4));
        foreach (var set in sets) pool.Return(set);
        Assert.That(pool.Idle, Is.EqualTo(2));
        Assert.That(pool.Created, Is.EqualTo(4));
        var again = pool.Rent();
        Assert.That(sets, Does.Contain(again));
        Assert.That(pool.Created, Is.EqualTo(4));
    }
}
