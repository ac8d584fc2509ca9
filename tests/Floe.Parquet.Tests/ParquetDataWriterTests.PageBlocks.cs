using Floe.Core.Io;
using Floe.Parquet;
using Floe.Parquet.Writing;
using NUnit.Framework;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// A file keeps its columns' 64 KiB page blocks between row groups (<see cref="PageBlocks"/>) instead of returning them
/// to the shared pool, which overflowed: the blocks a row group reuses, across columns compressing in parallel, must
/// never be one still holding another column's pages, and they are counted while kept and given back when asked.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    [Test]
    public void Write_PageBlocksReusedAcrossRowGroups_FileSameAsSerialAndReadsBack()
    {
        // Noisy doubles compress little: each column's chunk spans many 64 KiB blocks, over many row groups.
        var batches = Enumerable.Range(0, 9).Select(b => (b * 30_000, 30_000)).ToArray();
        var options = new ParquetWriterOptions { RowGroupRows = 40_000, PageBytes = 64 << 10, DictionaryPageBytes = 0 };
        var parallel = WriteDirect("blocks-parallel.parquet", options, batches);
        var serial = WriteDirect("blocks-serial.parquet", options with { MaxParallelism = 1 }, batches);
        Same.Sequence(File.ReadAllBytes(parallel), File.ReadAllBytes(serial));

        // Typed reads (a null counts as wrong): 270,000 rows are too many to box into a dictionary each.
        var count = 0;
        var bad = 0;
        foreach (var row in DuckDb.Rows($"SELECT l, d, n FROM read_parquet({DuckDb.Quote(parallel)})"))
        {
            count++;
            if (row.IsDBNull(0) || row.IsDBNull(1) || !row.GetDouble(1).Equals(Noisy((int)((row.GetInt64(0) + 3) / 7)))) bad++;
        }
        Assert.That(count, Is.EqualTo(270_000));
        Assert.That(bad, Is.Zero);
    }

    [Test]
    public void Write_PageBlocks_CountedWhileKeptAndGivenBackOnRelease()
    {
        var path = Path.Combine(_dir, "blocks-kept.parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, DirectSchema, "{}",
            new ParquetWriterOptions { RowGroupRows = 40_000, PageBytes = 64 << 10, DictionaryPageBytes = 0 });
        using (var batch = DirectBatch(0, 40_000)) writer.Write(batch);
        // The row group is written: its columns' blocks are kept for the next one, and counted.
        Assert.That(writer.BufferedRows, Is.Zero);
        var kept = writer.RetainedBytes;
        using (var batch = DirectBatch(40_000, 10_000)) writer.Write(batch);
        writer.FlushRowGroupNow();
        Assert.That(writer.RetainedBytes, Is.LessThan(kept - 4 * PageStore.LargestBlock), "FlushRowGroupNow keeps no blocks");
        writer.Close();
        Assert.That(writer.RetainedBytes, Is.Zero);

        var blocks = new PageBlocks();
        var taken = Enumerable.Range(0, (int)(PageBlocks.MaxBytes / PageStore.LargestBlock) + 3).Select(_ => blocks.Rent(PageStore.LargestBlock)).ToList();
        Assert.That(taken.Distinct().Count(), Is.EqualTo(taken.Count));
        foreach (var block in taken) blocks.Return(block);
        Assert.That(blocks.Bytes, Is.EqualTo(PageBlocks.MaxBytes));
        var again = blocks.Rent(PageStore.LargestBlock);
        Assert.That(taken, Does.Contain(again));
        blocks.Release();
        Assert.That(blocks.Bytes, Is.Zero);
    }
}
