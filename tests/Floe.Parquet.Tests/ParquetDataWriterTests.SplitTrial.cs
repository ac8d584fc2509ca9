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
/// BYTE_STREAM_SPLIT chosen per column by trial (<see cref="ParquetWriterOptions.ByteStreamSplitSlack"/>), files that do
/// not depend on how many columns encode at once, and SIMD statistics checked against a scalar oracle.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly Schema DoublesSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "noisy", false, PrimitiveType.Double),
        new NestedField(3, "picked", false, PrimitiveType.Double),
        new NestedField(4, "f", false, PrimitiveType.Float),
        new NestedField(5, "shifting", false, PrimitiveType.Double),
    });

    private static readonly ParquetWriterOptions SplitTrial = new()
    {
        ByteStreamSplitSlack = 0.2,
        DictionaryPageBytes = 0,
        DeltaIntegers = true,
        RowGroupRows = 30_000,
        PageBytes = 64 << 10,
    };

    private static double Noisy(int row) => RowNoise.Unit(row) * 1000;

    // Few distinct values in no order (like running maxima): whole 8-byte repeats, which PLAIN compresses far better.
    private static readonly double[] Picks = Enumerable.Range(0, 50).Select(i => Math.Round(new Random(i + 7).NextDouble() * 5000, 2)).ToArray();

    private static double Picked(int row) => Picks[(int)((uint)(row * 2_654_435_761L) % Picks.Length)];

    // Noisy for the first pages, then few distinct values: the trial at the 4th page turns the column back to PLAIN.
    private static double Shifting(int row) => row < 20_000 ? Noisy(row + 2_000_000) : Picked(row);

    private static RecordBatch DoublesBatch(int from, int count)
    {
        var id = new long?[count];
        var noisy = new double?[count];
        var picked = new double?[count];
        var f = new float?[count];
        var shifting = new double?[count];
        for (var r = 0; r < count; r++)
        {
            var row = from + r;
            id[r] = row;
            noisy[r] = row % 17 == 3 ? null : Noisy(row);
            picked[r] = Picked(row);
            f[r] = row % 11 == 0 ? null : (float)Noisy(row + 1_000_000);
            shifting[r] = Shifting(row);
        }
        return new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(DoublesSchema), new[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, id),
            ArrowTestData.Primitive<double>(DoubleType.Default, noisy),
            ArrowTestData.Primitive<double>(DoubleType.Default, picked),
            ArrowTestData.Primitive<float>(FloatType.Default, f),
            ArrowTestData.Primitive<double>(DoubleType.Default, shifting),
        }, count);
    }

    private string WriteDoubles(string name, ParquetWriterOptions options, params (int From, int Count)[] batches)
    {
        var path = Path.Combine(_dir, name);
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, DoublesSchema, "{}", options);
        foreach (var (from, count) in batches)
        {
            using var batch = DoublesBatch(from, count);
            writer.Write(batch);
        }
        writer.Close();
        return path;
    }

    [Test]
    public void Write_SplitTrial_NoisyColumnsSplitPickedStaysPlain_DuckDbReadsSameValues()
    {
        var path = WriteDoubles("trial.parquet", SplitTrial, (0, 50_000), (50_000, 20_000), (70_000, 5));
        var chunks = ChunkEncodings(path);
        Assert.Multiple(() =>
        {
            Assert.That(chunks.Select(c => c.Group).Distinct().Count(), Is.EqualTo(3));
            foreach (var chunk in chunks)
            {
                switch (chunk.Column)
                {
                    case "noisy" or "f":
                        Assert.That(chunk.Encodings, Does.Contain("BYTE_STREAM_SPLIT"), $"{chunk.Column} rg {chunk.Group}");
                        break;
                    case "picked":
                        Assert.That(chunk.Encodings, Does.Contain("PLAIN").And.Not.Contain("BYTE_STREAM_SPLIT"), $"rg {chunk.Group}");
                        break;
                    case "shifting" when chunk.Group == 0:
                        // Pages 0-2 split (noisy), page 3 (rows from 24,576) PLAIN: both listed for the chunk.
                        Assert.That(chunk.Encodings, Does.Contain("PLAIN").And.Contain("BYTE_STREAM_SPLIT"), "shifting rg 0");
                        break;
                    case "shifting":
                        Assert.That(chunk.Encodings, Does.Contain("PLAIN").And.Not.Contain("BYTE_STREAM_SPLIT"), $"shifting rg {chunk.Group}");
                        break;
                }
            }
        });
        // Typed reads: 70,005 rows are too many to box into a dictionary each.
        var count = 0;
        var bad = 0;
        foreach (var row in DuckDb.Rows($"SELECT id, noisy, picked, f::DOUBLE AS f, shifting FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id"))
        {
            count++;
            var id = checked((int)row.GetInt64(0));
            double? noisy = id % 17 == 3 ? null : Noisy(id);
            double? f = id % 11 == 0 ? null : (float)Noisy(id + 1_000_000);
            if (!DuckDb.Holds(row, 1, noisy) || !DuckDb.Holds<double>(row, 2, Picked(id)) || !DuckDb.Holds(row, 3, f) || !DuckDb.Holds<double>(row, 4, Shifting(id))) bad++;
        }
        Assert.That(count, Is.EqualTo(70_005));
        Assert.That(bad, Is.Zero, "rows DuckDB reads differently from what was written");

        // Floe's own reader, page by page in whichever encoding each page has.
        var floeBad = 0;
        var seen = 0;
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, DoublesSchema);
        foreach (var batch in reader.ReadAll())
        {
            var ids = (Int64Array)batch.Batch.Column(0);
            var noisy = (DoubleArray)batch.Batch.Column(1);
            var shifting = (DoubleArray)batch.Batch.Column(4);
            for (var r = 0; r < ids.Length; r++, seen++)
            {
                var id = (int)ids.Values[r];
                if (shifting.Values[r] != Shifting(id) || (id % 17 != 3 && noisy.Values[r] != Noisy(id))) floeBad++;
            }
        }
        Assert.That((seen, floeBad), Is.EqualTo((70_005, 0)), "rows Floe reads differently");
    }

    [Test]
    public void Write_SplitTrialWithoutRoom_AllPlain_AndNoTrialMeansPlain()
    {
        // A slack no split page can meet (the split page must be no larger than zero bytes) keeps PLAIN everywhere,
        // and so does writing without a trial.
        foreach (var options in new[] { SplitTrial with { ByteStreamSplitSlack = -1 }, SplitTrial with { ByteStreamSplitSlack = null } })
        {
            var path = WriteDoubles("plain.parquet", options, (0, 40_000));
            foreach (var chunk in ChunkEncodings(path).Where(c => c.Column != "id"))
            {
                Assert.That(chunk.Encodings, Does.Not.Contain("BYTE_STREAM_SPLIT"), $"{chunk.Column} rg {chunk.Group}");
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Write_SameRows_SameBytesWhateverTheParallelism(bool managedZstd)
    {
        // Columns encode and compress on several threads at once; the bytes must not depend on how many (with pages
        // compressed by libzstd where loaded, or by ZstdSharp).
        var batches = new[] { (0, 40_000), (40_000, 33_333), (73_333, 1), (73_334, 20_000) };
        var trial = SplitTrial with { ManagedZstd = managedZstd };
        var serial = File.ReadAllBytes(WriteDoubles("p1.parquet", trial with { MaxParallelism = 1 }, batches));
        var two = File.ReadAllBytes(WriteDoubles("p2.parquet", trial with { MaxParallelism = 2 }, batches));
        var pool = File.ReadAllBytes(WriteDoubles("p0.parquet", trial, batches));
        Assert.Multiple(() =>
        {
            Same.Sequence(two, serial, "2 threads vs 1");
            Same.Sequence(pool, serial, "thread pool vs 1");
        });
        var numericSerial = WriteNumeric(new ParquetWriterOptions { MaxParallelism = 1, RowGroupRows = 40_000, PageBytes = 8192, ManagedZstd = managedZstd }, row => row % 1000, (0, 50_000), (50_000, 30_000));
        var serialBytes = File.ReadAllBytes(numericSerial.Path);
        var numericPool = WriteNumeric(new ParquetWriterOptions { RowGroupRows = 40_000, PageBytes = 8192, ManagedZstd = managedZstd }, row => row % 1000, (0, 50_000), (50_000, 30_000));
        Same.Sequence(File.ReadAllBytes(numericPool.Path), serialBytes, "dictionary columns, thread pool vs 1");
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(33)]
    [TestCase(1000)]
    public void Write_DoubleStatistics_NaNsAndInfinitiesAnywhere_MatchScalarOracle(int count)
    {
        var schema = new Schema(0, new[] { new NestedField(1, "d", false, PrimitiveType.Double), new NestedField(2, "l", false, PrimitiveType.Long) });
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var random = new Random(seed * 31 + count);
            var d = new double?[count];
            var l = new long?[count];
            for (var i = 0; i < count; i++)
            {
                d[i] = random.Next(10) switch
                {
                    0 => double.NaN,
                    1 when seed == 2 => double.PositiveInfinity,
                    2 when seed == 2 => double.NegativeInfinity,
                    3 => null,
                    _ => (random.NextDouble() - 0.5) * 1e6,
                };
                l[i] = random.Next(10) == 3 ? null : random.NextInt64(long.MinValue, long.MaxValue);
            }
            var path = Path.Combine(_dir, $"stats-{count}-{seed}.parquet");
            ParquetFileMetrics metrics;
            using (var writer = new ParquetDataWriter(new LocalFileIO(), path, schema, "{}", new ParquetWriterOptions { DictionaryPageBytes = 0 }))
            {
                using var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(schema), new[]
                {
                    ArrowTestData.Primitive<double>(DoubleType.Default, d),
                    ArrowTestData.Primitive<long>(Int64Type.Default, l),
                }, count);
                writer.Write(batch);
                metrics = writer.Close();
            }
            var numbers = d.Where(v => v is { } x && !double.IsNaN(x)).Select(v => v!.Value).ToList();
            var longs = l.Where(v => v is not null).Select(v => v!.Value).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(metrics.NanValueCounts[1], Is.EqualTo(d.Count(v => v is { } x && double.IsNaN(x))), $"NaNs, seed {seed}");
                if (numbers.Count > 0)
                {
                    Assert.That(metrics.LowerBounds[1], Is.EqualTo(numbers.Min()), $"min, seed {seed}");
                    Assert.That(metrics.UpperBounds[1], Is.EqualTo(numbers.Max()), $"max, seed {seed}");
                }
                else
                {
                    Assert.That(metrics.LowerBounds.ContainsKey(1), Is.False, $"no bound for all-NaN/null, seed {seed}");
                }
                if (longs.Count > 0)
                {
                    Assert.That(metrics.LowerBounds[2], Is.EqualTo(longs.Min()), $"long min, seed {seed}");
                    Assert.That(metrics.UpperBounds[2], Is.EqualTo(longs.Max()), $"long max, seed {seed}");
                }
            });
            // The column index (page bounds) must agree with what DuckDB computes over the values.
            var stats = DuckDb.Query($"SELECT min(d) AS lo, max(d) AS hi FROM read_parquet({DuckDb.Quote(path)}) WHERE NOT isnan(d)");
            if (numbers.Count > 0)
            {
                Assert.That(stats[0]["lo"], Is.EqualTo(numbers.Min()), $"DuckDB min, seed {seed}");
            }
        }
    }
}
