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
/// Whole pages encoded straight from a batch's value bytes (numeric columns without nulls, no dictionary) against
/// the same rows handed over in slices smaller than a page, which all go through the page buffer.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly Schema DirectSchema = new(0, new[]
    {
        new NestedField(1, "l", false, PrimitiveType.Long),
        new NestedField(2, "d", false, PrimitiveType.Double),
        new NestedField(3, "i", false, PrimitiveType.Int),
        new NestedField(4, "f", false, PrimitiveType.Float),
        new NestedField(5, "t", false, PrimitiveType.TimestampTz),
        new NestedField(6, "n", false, PrimitiveType.Double),
    });

    private static RecordBatch DirectBatch(int from, int count)
    {
        var l = new long?[count];
        var d = new double?[count];
        var i = new int?[count];
        var f = new float?[count];
        var t = new long?[count];
        var n = new double?[count];
        for (var r = 0; r < count; r++)
        {
            var row = from + r;
            l[r] = row * 7L - 3;
            d[r] = Noisy(row);
            i[r] = row % 1000 - 500;
            f[r] = (float)Noisy(row + 5);
            t[r] = 1_700_000_000_000_000L + row * 1_000_003L;
            // Nulls in some batches only: those batches take the buffered path for this column, others not.
            n[r] = from % 2 == 1 && row % 9 == 0 ? null : Noisy(row + 9);
        }
        return new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(DirectSchema), new[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, l),
            ArrowTestData.Primitive<double>(DoubleType.Default, d),
            ArrowTestData.Primitive<int>(Int32Type.Default, i),
            ArrowTestData.Primitive<float>(FloatType.Default, f),
            ArrowTestData.Primitive<long>(new TimestampType(TimeUnit.Microsecond, "UTC"), t),
            ArrowTestData.Primitive<double>(DoubleType.Default, n),
        }, count);
    }

    private string WriteDirect(string name, ParquetWriterOptions options, IEnumerable<(int From, int Count)> slices)
    {
        var path = Path.Combine(_dir, name);
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, DirectSchema, "{}", options);
        foreach (var (from, count) in slices)
        {
            using var batch = DirectBatch(from, count);
            writer.Write(batch);
        }
        writer.Close();
        return path;
    }

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void Write_WholePagesFromTheBatch_SameBytesAsThroughThePageBuffer(bool delta, bool trials)
    {
        var options = new ParquetWriterOptions
        {
            DictionaryPageBytes = 0,
            DeltaIntegers = delta,
            RowGroupRows = 50_000,
            PageBytes = 16 << 10,
            ByteStreamSplitSlack = trials ? 0.2 : null,
            FastZstdSlack = trials ? 0.05 : null,
        };
        const int rows = 120_001;
        // Large batches (pages straight from them, a remainder buffered across batches) against slices of 999 rows,
        // less than any page holds, so every page is assembled in the page buffer.
        var large = new[] { (0, 40_000), (40_000, 1), (40_001, 60_000), (100_001, 20_000) };
        var small = Enumerable.Range(0, (rows + 998) / 999).Select(k => (k * 999, Math.Min(999, rows - k * 999)));
        var direct = WriteDirect("direct.parquet", options, large);
        var buffered = WriteDirect("buffered.parquet", options, small);
        // The null pattern of column n follows the batches, so compare it apart; every other column is the same.
        var directBytes = ColumnBytes(direct);
        var bufferedBytes = ColumnBytes(buffered);
        Assert.Multiple(() =>
        {
            foreach (var c in new[] { "l", "d", "i", "f", "t" })
            {
                Assert.That(directBytes[c], Is.EqualTo(bufferedBytes[c]), c);
            }
        });
        var stats = DuckDb.Query($"SELECT path_in_schema AS c, stats_min AS lo, stats_max AS hi, row_group_id AS g FROM parquet_metadata({DuckDb.Quote(direct)}) ORDER BY g, column_id");
        var statsBuffered = DuckDb.Query($"SELECT path_in_schema AS c, stats_min AS lo, stats_max AS hi, row_group_id AS g FROM parquet_metadata({DuckDb.Quote(buffered)}) ORDER BY g, column_id");
        Assert.That(stats.Where(r => (string)r["c"]! != "n").Select(r => $"{r["g"]} {r["c"]} {r["lo"]} {r["hi"]}"),
            Is.EqualTo(statsBuffered.Where(r => (string)r["c"]! != "n").Select(r => $"{r["g"]} {r["c"]} {r["lo"]} {r["hi"]}")));

        // Typed reads (a null where a value is due counts as wrong): 120,001 rows are too many to box into a dictionary each.
        var bad = 0;
        var count = 0;
        var batchStart = new[] { 0, 40_000, 40_001, 100_001 };
        foreach (var row in DuckDb.Rows($"SELECT l, d, i, f::DOUBLE AS f, epoch_us(t) AS t, n FROM read_parquet({DuckDb.Quote(direct)})"))
        {
            count++;
            if (row.IsDBNull(0) || row.IsDBNull(1) || row.IsDBNull(2) || row.IsDBNull(3) || row.IsDBNull(4))
            {
                bad++;
                continue;
            }
            var l = row.GetInt64(0);
            var r = (int)((l + 3) / 7);
            var from = batchStart.Last(s => s <= r);
            double? n = from % 2 == 1 && r % 9 == 0 ? null : Noisy(r + 9);
            if (!row.GetDouble(1).Equals(Noisy(r)) || row.GetInt32(2) != r % 1000 - 500
                || !row.GetDouble(3).Equals((double)(float)Noisy(r + 5)) || row.GetInt64(4) != 1_700_000_000_000_000L + r * 1_000_003L
                || (row.IsDBNull(5) ? n is not null : n is not { } expectedN || !row.GetDouble(5).Equals(expectedN)))
            {
                bad++;
            }
        }
        Assert.That(count, Is.EqualTo(rows));
        Assert.That(bad, Is.Zero, "rows DuckDB reads differently from what was written");
    }
}
