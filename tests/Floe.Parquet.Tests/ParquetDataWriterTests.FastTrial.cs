using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Parquet;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// zstd's fast level chosen per column by trial (<see cref="ParquetWriterOptions.FastZstdSlack"/>): a column whose pages
/// the fast level barely enlarges is compressed at it, one that Huffman-coded literals shrink keeps the configured
/// level, and the file reads back the same values in DuckDB and Floe.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly Schema EffortSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "noisy", false, PrimitiveType.Double),
        new NestedField(3, "skewed", false, PrimitiveType.Double),
        new NestedField(4, "small", false, PrimitiveType.Long),
    });

    // Every float split into byte streams and no dictionary, so only the level differs between the files compared.
    private static readonly ParquetWriterOptions EffortBase = new()
    {
        DictionaryPageBytes = 0,
        DeltaIntegers = true,
        ByteStreamSplitFloats = true,
        RowGroupRows = 30_000,
        PageBytes = 64 << 10,
        ZstdLevel = 2,
    };

    // Small whole numbers, most of them 0-3: their exponent and top mantissa byte streams are few symbols in no
    // order, which Huffman codes to a few bits and the fast level (no Huffman-coded literals) stores as they are.
    private static double Skewed(int row)
    {
        var u = RowNoise.Unit(row + 3_000_000);
        return Math.Min(200, Math.Floor(-Math.Log(1 - u) * 3));
    }

    // Like Skewed, for a delta-encoded column: 8-bit deltas whose bytes are mostly a few values.
    private static long Small(int row) => (long)Skewed(row + 77) + (row % 2 == 0 ? 100 : 0);

    // The effort files' noisy column keeps System.Random's first draw for a seed of the row (what Noisy was before
    // RowNoise): consecutive seeds give slightly related doubles, so the fast level costs a few percent and not
    // nothing, which the premise below asserts (independent draws compress to the same bytes at both levels). One
    // seeded Random a row is costly, so the 65,003 rows are drawn once.
    private static readonly Lazy<double[]> EffortNoise = new(() =>
        Enumerable.Range(0, 65_003).Select(row => new Random(row).NextDouble() * 1000).ToArray());

    private static double EffortNoisy(int row) => EffortNoise.Value[row];

    private static RecordBatch EffortBatch(int from, int count)
    {
        var id = new long?[count];
        var noisy = new double?[count];
        var skewed = new double?[count];
        var small = new long?[count];
        for (var r = 0; r < count; r++)
        {
            var row = from + r;
            id[r] = row;
            noisy[r] = row % 13 == 5 ? null : EffortNoisy(row);
            skewed[r] = Skewed(row);
            small[r] = row % 7 == 1 ? null : Small(row);
        }
        return new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(EffortSchema), new[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, id),
            ArrowTestData.Primitive<double>(DoubleType.Default, noisy),
            ArrowTestData.Primitive<double>(DoubleType.Default, skewed),
            ArrowTestData.Primitive<long>(Int64Type.Default, small),
        }, count);
    }

    private string WriteEffort(string name, ParquetWriterOptions options)
    {
        var path = Path.Combine(_dir, name);
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, EffortSchema, "{}", options);
        foreach (var (from, count) in new[] { (0, 45_000), (45_000, 20_000), (65_000, 3) })
        {
            using var batch = EffortBatch(from, count);
            writer.Write(batch);
        }
        writer.Close();
        return path;
    }

    private static Dictionary<string, long> ColumnBytes(string path) =>
        DuckDb.Query($"SELECT path_in_schema AS c, sum(total_compressed_size)::BIGINT AS b FROM parquet_metadata({DuckDb.Quote(path)}) GROUP BY 1")
            .ToDictionary(r => (string)r["c"]!, r => Convert.ToInt64(r["b"], CultureInfo.InvariantCulture));

    [TestCase(false)]
    [TestCase(true)]
    public void Write_FastTrial_PicksFastWhereItCostsLittle_DuckDbReadsSameValues(bool managedZstd)
    {
        var normal = ColumnBytes(WriteEffort("normal.parquet", EffortBase with { ManagedZstd = managedZstd }));
        var fast = ColumnBytes(WriteEffort("fast.parquet", EffortBase with { ZstdLevel = -1, ManagedZstd = managedZstd }));
        var path = WriteEffort("trial.parquet", EffortBase with { FastZstdSlack = 0.1, ManagedZstd = managedZstd });
        var trial = ColumnBytes(path);
        Assert.Multiple(() =>
        {
            // The premise: noisy streams lose little at the fast level, skewed ones a lot.
            Assert.That(fast["noisy"], Is.LessThanOrEqualTo(normal["noisy"] * 1.1).And.Not.EqualTo(normal["noisy"]), "noisy: fast within 10%, not the same bytes");
            Assert.That(fast["skewed"], Is.GreaterThan(normal["skewed"] * 1.1), "skewed: fast over 10% larger");
            Assert.That(fast["small"], Is.GreaterThan(normal["small"] * 1.1), "small: fast over 10% larger");
            // Every page of a column is like its trial pages, so each chunk is wholly one level or the other.
            Assert.That(trial["noisy"], Is.EqualTo(fast["noisy"]), "noisy compressed at the fast level");
            Assert.That(trial["skewed"], Is.EqualTo(normal["skewed"]), "skewed kept at level 2");
            Assert.That(trial["small"], Is.EqualTo(normal["small"]), "small kept at level 2");
        });

        // Typed reads: 65,003 rows are too many to box into a dictionary each.
        var count = 0;
        var bad = 0;
        foreach (var row in DuckDb.Rows($"SELECT id, noisy, skewed, small FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id"))
        {
            count++;
            var id = checked((int)row.GetInt64(0));
            double? noisy = id % 13 == 5 ? null : EffortNoisy(id);
            long? small = id % 7 == 1 ? null : Small(id);
            if (!DuckDb.Holds(row, 1, noisy) || !DuckDb.Holds<double>(row, 2, Skewed(id)) || !DuckDb.Holds(row, 3, small)) bad++;
        }
        Assert.That(count, Is.EqualTo(65_003));
        Assert.That(bad, Is.Zero, "rows DuckDB reads differently from what was written");

        var floeBad = 0;
        var seen = 0;
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, EffortSchema);
        foreach (var batch in reader.ReadAll())
        {
            var ids = (Int64Array)batch.Batch.Column(0);
            var skewed = (DoubleArray)batch.Batch.Column(2);
            var small = (Int64Array)batch.Batch.Column(3);
            for (var r = 0; r < ids.Length; r++, seen++)
            {
                var id = (int)ids.Values[r];
                if (skewed.Values[r] != Skewed(id) || (id % 7 != 1 && small.Values[r] != Small(id))) floeBad++;
            }
        }
        Assert.That((seen, floeBad), Is.EqualTo((65_003, 0)), "rows Floe reads differently");
    }

    [Test]
    public void Write_FastTrialAlwaysOrNever_SameBytesAsOneLevel()
    {
        // A slack every page meets compresses every page at the fast level: the file of the fast level alone, byte
        // for byte. One no page can meet keeps the configured level: the file without a trial.
        var always = File.ReadAllBytes(WriteEffort("always.parquet", EffortBase with { FastZstdSlack = 1000 }));
        var fastOnly = File.ReadAllBytes(WriteEffort("fastonly.parquet", EffortBase with { ZstdLevel = -1 }));
        var never = File.ReadAllBytes(WriteEffort("never.parquet", EffortBase with { FastZstdSlack = -1 }));
        var none = File.ReadAllBytes(WriteEffort("none.parquet", EffortBase));
        Assert.Multiple(() =>
        {
            Same.Sequence(always, fastOnly, "slack 1000 = level -1 everywhere");
            Same.Sequence(never, none, "slack -1 = no trial");
        });
    }

    [Test]
    public void Write_FastAndSplitTrials_SameBytesWhateverTheParallelism()
    {
        var batches = new[] { (0, 40_000), (40_000, 33_333), (73_333, 1), (73_334, 20_000) };
        var both = SplitTrial with { FastZstdSlack = 0.05 };
        var serial = File.ReadAllBytes(WriteDoubles("b1.parquet", both with { MaxParallelism = 1 }, batches));
        var pool = File.ReadAllBytes(WriteDoubles("b0.parquet", both, batches));
        Same.Sequence(pool, serial, "thread pool vs 1");
        // Both trials together still read back: the split trial's PLAIN pages are recompressed PLAIN, not split.
        var count = 0;
        var bad = 0;
        foreach (var row in DuckDb.Rows($"SELECT id, noisy, picked, shifting FROM read_parquet({DuckDb.Quote(Path.Combine(_dir, "b1.parquet"))}) ORDER BY id"))
        {
            count++;
            var id = checked((int)row.GetInt64(0));
            double? noisy = id % 17 == 3 ? null : Noisy(id);
            if (!DuckDb.Holds(row, 1, noisy) || !DuckDb.Holds<double>(row, 2, Picked(id)) || !DuckDb.Holds<double>(row, 3, Shifting(id))) bad++;
        }
        Assert.That((count, bad), Is.EqualTo((93_334, 0)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Write_FastIntegerMinMatch_ChangesOnlyDeltaPages_SameValues(bool managedZstd)
    {
        // Every page at the fast level (slack 1000), with the delta pages' matches at 5 bytes (the doubles') or 6.
        var options = EffortBase with { FastZstdSlack = 1000, ManagedZstd = managedZstd };
        var five = ColumnBytes(WriteEffort("mm5.parquet", options));
        var path = WriteEffort("mm6.parquet", options with { FastZstdIntegerMinMatch = 6 });
        var six = ColumnBytes(path);
        Assert.Multiple(() =>
        {
            Assert.That(six["small"], Is.Not.EqualTo(five["small"]), "the delta column's pages compressed otherwise");
            Assert.That(six["noisy"], Is.EqualTo(five["noisy"]), "doubles untouched");
            Assert.That(six["skewed"], Is.EqualTo(five["skewed"]), "doubles untouched");
        });
        var bad = 0;
        var count = 0;
        foreach (var row in DuckDb.Rows($"SELECT id, small FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id"))
        {
            count++;
            var id = checked((int)row.GetInt64(0));
            long? small = id % 7 == 1 ? null : Small(id);
            if (!DuckDb.Holds(row, 1, small)) bad++;
        }
        Assert.That((count, bad), Is.EqualTo((65_003, 0)));
    }
}

