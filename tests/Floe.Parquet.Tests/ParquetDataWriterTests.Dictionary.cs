using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>Dictionary encoding of fixed-width columns, checked through DuckDB, Parquet.Net and Floe's own reader.</summary>
public sealed partial class ParquetDataWriterTests
{
    private const long TsBase = 1_704_164_645_123_456L;

    private static readonly Schema NumericSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "i", false, PrimitiveType.Int),
        new NestedField(3, "l", false, PrimitiveType.Long),
        new NestedField(4, "f", false, PrimitiveType.Float),
        new NestedField(5, "d", false, PrimitiveType.Double),
        new NestedField(6, "ts", false, PrimitiveType.TimestampTz),
        new NestedField(7, "dt", false, PrimitiveType.Date),
        new NestedField(8, "dec", false, PrimitiveType.Decimal(18, 4)),
    });

    private static readonly string[] NumericColumns = { "i", "l", "f", "d", "ts", "dt", "dec" };

    /// <summary>Rows [from, from + count): value key <paramref name="key"/>(row), null where row % 13 == 5.</summary>
    private static RecordBatch NumericBatch(int from, int count, Func<int, long> key)
    {
        var ids = new long?[count];
        var i = new int?[count];
        var l = new long?[count];
        var f = new float?[count];
        var d = new double?[count];
        var ts = new long?[count];
        var dt = new int?[count];
        var dec = new decimal?[count];
        for (var r = 0; r < count; r++)
        {
            var row = from + r;
            ids[r] = row;
            if (row % 13 == 5) continue;
            var k = key(row);
            i[r] = (int)(k * 3 - 5);
            l[r] = k * 1_000_003L - 7;
            f[r] = k * 0.25f - 1;
            d[r] = k * 0.1 - 2;
            ts[r] = TsBase + k * 1_000_001L;
            dt[r] = 19_000 + (int)k;
            dec[r] = (k * 12_345 - 6_000) / 10_000m;
        }
        return new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(NumericSchema), new[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, ids),
            ArrowTestData.Primitive<int>(Int32Type.Default, i),
            ArrowTestData.Primitive<long>(Int64Type.Default, l),
            ArrowTestData.Primitive<float>(FloatType.Default, f),
            ArrowTestData.Primitive<double>(DoubleType.Default, d),
            ArrowTestData.Primitive<long>(new TimestampType(TimeUnit.Microsecond, "UTC"), ts),
            ArrowTestData.Primitive<int>(Date32Type.Default, dt),
            ArrowTestData.Decimals(18, 4, dec),
        }, count);
    }

    /// <summary>Writes <paramref name="batches"/> (from, count) pairs and returns the metrics; expected keys come back per row.</summary>
    private (string Path, ParquetFileMetrics Metrics, long?[] Keys) WriteNumeric(
        ParquetWriterOptions options, Func<int, long> key, params (int From, int Count)[] batches)
    {
        var path = Path.Combine(_dir, "numeric.parquet");
        var total = batches.Sum(b => b.Count);
        var keys = new long?[total];
        for (var row = 0; row < total; row++) keys[row] = row % 13 == 5 ? null : key(row);
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, NumericSchema, "{}", options);
        foreach (var (from, count) in batches)
        {
            using var batch = NumericBatch(from, count, key);
            writer.Write(batch);
        }
        return (path, writer.Close(), keys);
    }

    /// <summary>Each column rendered as DuckDB sees it, in exact units (raw bits for floating point, µs, days, unscaled).</summary>
    private static Dictionary<string, List<long?>> DuckColumns(string path)
    {
        // Read typed, cell by cell: the result has up to 10^5 rows, too many to box into a dictionary each.
        var columns = NumericColumns.Select(_ => new List<long?>()).ToArray();
        foreach (var row in DuckDb.Rows(
            "SELECT i::BIGINT AS i, l, f::DOUBLE AS f, d, epoch_us(ts) AS ts, date_diff('day', DATE '1970-01-01', dt) AS dt, " +
            $"(dec * 10000)::BIGINT AS dec FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id"))
        {
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c].Add(row.IsDBNull(c) ? null : NumericColumns[c] switch
                {
                    "f" => BitConverter.SingleToInt32Bits((float)row.GetDouble(c)),
                    "d" => BitConverter.DoubleToInt64Bits(row.GetDouble(c)),
                    _ => row.GetInt64(c),
                });
            }
        }
        return NumericColumns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => columns[x.i]);
    }

    /// <summary>What each column must hold for value key k, in the units of <see cref="DuckColumns"/>.</summary>
    private static long? Expected(string column, long? key) => key is not { } k ? null : column switch
    {
        "i" => k * 3 - 5,
        "l" => k * 1_000_003L - 7,
        "f" => BitConverter.SingleToInt32Bits(k * 0.25f - 1),
        "d" => BitConverter.DoubleToInt64Bits(k * 0.1 - 2),
        "ts" => TsBase + k * 1_000_001L,
        "dt" => 19_000 + k,
        _ => k * 12_345 - 6_000,
    };

    /// <summary>Floe's own reader, in the units of <see cref="DuckColumns"/>.</summary>
    private static Dictionary<string, List<long?>> FloeColumns(string path)
    {
        var result = NumericColumns.ToDictionary(c => c, _ => new List<long?>());
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, NumericSchema);
        foreach (var batch in reader.ReadAll())
        {
            for (var c = 0; c < NumericColumns.Length; c++)
            {
                var array = batch.Batch.Column(c + 1);
                for (var r = 0; r < array.Length; r++)
                {
                    result[NumericColumns[c]].Add(array.IsNull(r) ? null : array switch
                    {
                        Int32Array a => a.Values[r],
                        Int64Array a => a.Values[r],
                        FloatArray a => BitConverter.SingleToInt32Bits(a.Values[r]),
                        DoubleArray a => BitConverter.DoubleToInt64Bits(a.Values[r]),
                        Date32Array a => a.Values[r],
                        TimestampArray a => a.Values[r],
                        Decimal128Array a => (long)(a.GetValue(r)!.Value * 10_000m),
                        _ => throw new NotSupportedException(array.GetType().Name),
                    });
                }
            }
        }
        return result;
    }

    /// <summary>Parquet.Net's reading of the physical INT32/INT64/FLOAT/DOUBLE columns, as raw bits.</summary>
    private static Dictionary<string, List<long?>> ParquetNetColumns(string path)
    {
        var result = new Dictionary<string, List<long?>> { ["i"] = new(), ["l"] = new(), ["f"] = new(), ["d"] = new() };
        WithParquetNet(path, reader =>
        {
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = (int)group.RowCount;
                var ints = new int?[n];
                group.ReadAsync<int>(fields["i"], ints.AsMemory()).GetAwaiter().GetResult();
                result["i"].AddRange(ints.Select(v => (long?)v));
                var longs = new long?[n];
                group.ReadAsync<long>(fields["l"], longs.AsMemory()).GetAwaiter().GetResult();
                result["l"].AddRange(longs);
                var floats = new float?[n];
                group.ReadAsync<float>(fields["f"], floats.AsMemory()).GetAwaiter().GetResult();
                result["f"].AddRange(floats.Select(v => v is { } x ? BitConverter.SingleToInt32Bits(x) : (long?)null));
                var doubles = new double?[n];
                group.ReadAsync<double>(fields["d"], doubles.AsMemory()).GetAwaiter().GetResult();
                result["d"].AddRange(doubles.Select(v => v is { } x ? BitConverter.DoubleToInt64Bits(x) : (long?)null));
            }
        });
        return result;
    }

    private static void WithParquetNet(string path, Action<global::Parquet.ParquetReader> read)
    {
        using var stream = File.OpenRead(path);
        var reader = global::Parquet.ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        try
        {
            read(reader);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Per row group and column: the chunk's encodings and whether it has a dictionary page.</summary>
    private static List<(long Group, string Column, string Encodings, bool HasDictionary)> ChunkEncodings(string path) =>
        DuckDb.Query($"SELECT row_group_id, path_in_schema, encodings, dictionary_page_offset FROM parquet_metadata({DuckDb.Quote(path)}) ORDER BY row_group_id, column_id")
            .Select(r => (Convert.ToInt64(r["row_group_id"], CultureInfo.InvariantCulture), (string)r["path_in_schema"]!,
                r["encodings"]?.ToString() ?? "", r["dictionary_page_offset"] is not null))
            .ToList();

    private static void AssertRoundTrip(string path, long?[] keys)
    {
        var duck = DuckColumns(path);
        var floe = FloeColumns(path);
        var net = ParquetNetColumns(path);
        Assert.Multiple(() =>
        {
            foreach (var c in NumericColumns)
            {
                var expected = keys.Select(k => Expected(c, k)).ToList();
                Same.Sequence(duck[c], expected, "DuckDB " + c);
                Same.Sequence(floe[c], expected, "Floe " + c);
                if (net.TryGetValue(c, out var n)) Same.Sequence(n, expected, "Parquet.Net " + c);
            }
        });
    }

    [Test]
    public void Write_LowCardinalityFixedWidth_DictionaryPagesAndSameValues()
    {
        var options = new ParquetWriterOptions { RowGroupRows = 40_000, PageBytes = 8192 };
        var (path, metrics, keys) = WriteNumeric(options, row => (row * 7919L) % 23, (0, 50_000), (50_000, 30_000), (80_000, 7));
        AssertRoundTrip(path, keys);
        var chunks = ChunkEncodings(path);
        Assert.Multiple(() =>
        {
            Assert.That(chunks.Select(c => c.Group).Distinct().Count(), Is.EqualTo(3));
            foreach (var chunk in chunks.Where(c => c.Column != "id" && c.Group < 2))
            {
                Assert.That(chunk.Encodings, Does.Contain("RLE_DICTIONARY"), $"{chunk.Column} rg {chunk.Group}");
                Assert.That(chunk.HasDictionary, Is.True, $"{chunk.Column} rg {chunk.Group}");
            }
            // Statistics are still over values: k in 0..22.
            Assert.That(metrics.LowerBounds[2], Is.EqualTo(-5));
            Assert.That(metrics.UpperBounds[2], Is.EqualTo(22 * 3 - 5));
            Assert.That(metrics.LowerBounds[5], Is.EqualTo(-2.0));
            Assert.That(metrics.UpperBounds[5], Is.EqualTo(22 * 0.1 - 2));
            Assert.That(metrics.LowerBounds[6], Is.EqualTo(TsBase));
            Assert.That(metrics.UpperBounds[8], Is.EqualTo((22 * 12_345 - 6_000) / 10_000m));
            Assert.That(metrics.NullValueCounts[3], Is.EqualTo(keys.Count(k => k is null)));
        });
        var stats = DuckDb.Query($"SELECT stats_min_value, stats_max_value FROM parquet_metadata({DuckDb.Quote(path)}) WHERE path_in_schema = 'l' AND row_group_id = 0")[0];
        Assert.That(stats["stats_min_value"]?.ToString(), Is.EqualTo("-7"));
        Assert.That(stats["stats_max_value"]?.ToString(), Is.EqualTo((22 * 1_000_003L - 7).ToString(CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Write_RunsAcrossBlocksWhileTheTableGrows_SameValuesAndDictionaryKept()
    {
        // Runs of 1-12 equal values, a third of them of a new key: the hash table grows inside the writer's 4096-value
        // blocks (where runs are numbered, looked up ahead of use and mapped back to indices), and runs cross block,
        // batch and row-group boundaries, at both widths.
        var rnd = new Random(29);
        var table = new long[100_000];
        var distinct = 0;
        for (var row = 0; row < table.Length;)
        {
            long k = distinct == 0 || rnd.Next(3) == 0 ? distinct++ : rnd.Next(distinct);
            var length = rnd.Next(1, 13);
            for (var r = 0; r < length && row < table.Length; r++) table[row++] = k;
        }
        var options = new ParquetWriterOptions { RowGroupRows = 60_000 };
        var (path, _, keys) = WriteNumeric(options, row => table[row], (0, 5_000), (5_000, 70_000), (75_000, 25_000));
        AssertRoundTrip(path, keys);
        var chunks = ChunkEncodings(path).Where(c => c.Column != "id").ToList();
        Assert.That(chunks, Has.Count.EqualTo(2 * NumericColumns.Length));
        foreach (var chunk in chunks) Assert.That(chunk.Encodings, Does.Contain("RLE_DICTIONARY"), $"{chunk.Column} rg {chunk.Group}");
    }

    [Test]
    public void Write_HighCardinalityFixedWidth_FallsBackToPlain()
    {
        var options = new ParquetWriterOptions { RowGroupRows = 60_000 };
        var (path, metrics, keys) = WriteNumeric(options, row => row * 2_654_435_761L % 1_000_003, (0, 100_000));
        AssertRoundTrip(path, keys);
        var chunks = ChunkEncodings(path);
        Assert.Multiple(() =>
        {
            foreach (var chunk in chunks)
            {
                Assert.That(chunk.Encodings, Does.Not.Contain("DICTIONARY"), $"{chunk.Column} rg {chunk.Group}");
                Assert.That(chunk.HasDictionary, Is.False, $"{chunk.Column} rg {chunk.Group}");
            }
            Assert.That(metrics.LowerBounds[3], Is.EqualTo(keys.Min()!.Value * 1_000_003L - 7));
            Assert.That(metrics.UpperBounds[3], Is.EqualTo(keys.Max()!.Value * 1_000_003L - 7));
        });
    }

    [TestCase(60_000)]
    [TestCase(10_000)]
    public void Write_LowThenDistinctPastDictionaryLimit_FallsBackMidRowGroup(int firstBatchRows)
    {
        // 8 KiB holds 1024 longs: the first 20k rows use 10 values, then every row is new. With a first batch of
        // 10k rows, the limit is crossed inside the second batch, with indices of the first already buffered.
        var options = new ParquetWriterOptions { DictionaryPageBytes = 8192, RowGroupRows = 50_000, PageBytes = 4096 };
        Func<int, long> key = row => row < 20_000 ? row % 10 : row;
        var batches = new List<(int, int)> { (0, firstBatchRows) };
        if (firstBatchRows < 60_000) batches.Add((firstBatchRows, 60_000 - firstBatchRows));
        var (path, metrics, keys) = WriteNumeric(options, key, batches.ToArray());
        AssertRoundTrip(path, keys);
        var chunks = ChunkEncodings(path);
        Assert.Multiple(() =>
        {
            foreach (var c in NumericColumns)
            {
                // Pages are written as they fill: those of the first row group written before the fallback keep
                // the dictionary (see Write_DictionaryDroppedMidRowGroup_EarlierPagesKeepIt); later row groups have none.
                Assert.That(chunks.Where(x => x.Column == c && x.Group > 0).Select(x => x.Encodings), Has.All.Not.Contains("DICTIONARY"), c);
                Assert.That(chunks.Count(x => x.Column == c && x.Group > 0), Is.EqualTo(1), c);
            }
            Assert.That(metrics.UpperBounds[3], Is.EqualTo(keys.Max()!.Value * 1_000_003L - 7));
            Assert.That(metrics.LowerBounds[3], Is.EqualTo(-7L));
        });
    }

    [Test]
    public void Write_FloatingPointSpecialValues_BitPatternsPreserved()
    {
        var schema = new Schema(0, new[]
        {
            new NestedField(1, "id", true, PrimitiveType.Long),
            new NestedField(2, "f", false, PrimitiveType.Float),
            new NestedField(3, "d", false, PrimitiveType.Double),
        });
        var doubles = new[]
        {
            double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_1234L), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0000UL)),
            -0.0, 0.0, 1.5, double.PositiveInfinity, double.NegativeInfinity,
        };
        var floats = new[]
        {
            float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_0042), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0000U)),
            -0.0f, 0.0f, 1.5f, float.PositiveInfinity, float.NegativeInfinity,
        };
        const int rows = 2000;
        var ids = new long?[rows];
        var f = new float?[rows];
        var d = new double?[rows];
        for (var r = 0; r < rows; r++)
        {
            ids[r] = r;
            if (r % 9 == 4) continue;
            f[r] = floats[(r * 5) % floats.Length];
            d[r] = doubles[(r * 3) % doubles.Length];
        }
        var path = Path.Combine(_dir, "special.parquet");
        ParquetFileMetrics metrics;
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, schema, "{}", new ParquetWriterOptions { RowGroupRows = 1500 }))
        {
            using var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(schema), new[]
            {
                ArrowTestData.Primitive<long>(Int64Type.Default, ids),
                ArrowTestData.Primitive<float>(FloatType.Default, f),
                ArrowTestData.Primitive<double>(DoubleType.Default, d),
            }, rows);
            writer.Write(batch);
            metrics = writer.Close();
        }
        var expectedF = f.Select(v => v is { } x ? BitConverter.SingleToInt32Bits(x) : (int?)null).ToList();
        var expectedD = d.Select(v => v is { } x ? BitConverter.DoubleToInt64Bits(x) : (long?)null).ToList();

        var ourF = new List<int?>();
        var ourD = new List<long?>();
        using (var reader = ParquetDataReader.Open(new LocalFileIO(), path, schema))
        {
            foreach (var batch in reader.ReadAll())
            {
                var fa = (FloatArray)batch.Batch.Column(1);
                var da = (DoubleArray)batch.Batch.Column(2);
                for (var r = 0; r < fa.Length; r++)
                {
                    ourF.Add(fa.IsNull(r) ? null : BitConverter.SingleToInt32Bits(fa.Values[r]));
                    ourD.Add(da.IsNull(r) ? null : BitConverter.DoubleToInt64Bits(da.Values[r]));
                }
            }
        }
        var netF = new List<int?>();
        var netD = new List<long?>();
        WithParquetNet(path, reader =>
        {
            var fields = reader.Schema.GetDataFields();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var fs = new float?[group.RowCount];
                var ds = new double?[group.RowCount];
                group.ReadAsync<float>(fields[1], fs.AsMemory()).GetAwaiter().GetResult();
                group.ReadAsync<double>(fields[2], ds.AsMemory()).GetAwaiter().GetResult();
                netF.AddRange(fs.Select(v => v is { } x ? BitConverter.SingleToInt32Bits(x) : (int?)null));
                netD.AddRange(ds.Select(v => v is { } x ? BitConverter.DoubleToInt64Bits(x) : (long?)null));
            }
        });
        var chunks = ChunkEncodings(path);
        var duckZeros = DuckDb.Query($"SELECT count(*) FILTER (WHERE d = 0 AND sign(d) < 0) AS dn, count(*) FILTER (WHERE isnan(d)) AS dnan FROM read_parquet({DuckDb.Quote(path)})")[0];
        Assert.Multiple(() =>
        {
            Assert.That(ourF, Is.EqualTo(expectedF), "Floe float bits");
            Assert.That(ourD, Is.EqualTo(expectedD), "Floe double bits");
            Assert.That(netF, Is.EqualTo(expectedF), "Parquet.Net float bits");
            Assert.That(netD, Is.EqualTo(expectedD), "Parquet.Net double bits");
            Assert.That(Convert.ToInt64(duckZeros["dnan"], CultureInfo.InvariantCulture), Is.EqualTo(d.Count(v => v is { } x && double.IsNaN(x))));
            foreach (var chunk in chunks.Where(c => c.Column != "id"))
            {
                Assert.That(chunk.Encodings, Does.Contain("RLE_DICTIONARY"), $"{chunk.Column} rg {chunk.Group}");
            }
            Assert.That(metrics.LowerBounds[3], Is.EqualTo(double.NegativeInfinity));
            Assert.That(metrics.UpperBounds[3], Is.EqualTo(double.PositiveInfinity));
            Assert.That(metrics.NanValueCounts[3], Is.EqualTo(d.Count(v => v is { } x && double.IsNaN(x))));
        });
    }

    [Test]
    public void Write_TinyRowGroupThenRepeats_OnlyTinyGroupIsPlain()
    {
        // A 3-row group of distinct values is cheaper PLAIN; that must not turn the dictionary off for the next one.
        var options = new ParquetWriterOptions { RowGroupRows = 10_000 };
        var path = Path.Combine(_dir, "tiny.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, NumericSchema, "{}", options))
        {
            using (var tiny = NumericBatch(0, 3, row => row))
            {
                writer.Write(tiny);
            }
            writer.FlushRowGroupNow();
            using var big = NumericBatch(3, 5_000, row => row % 4);
            writer.Write(big);
            writer.Close();
        }
        var keys = Enumerable.Range(0, 5_003).Select(row => row % 13 == 5 ? (long?)null : row < 3 ? row : row % 4).ToArray();
        AssertRoundTrip(path, keys);
        var chunks = ChunkEncodings(path).Where(c => c.Column == "l").ToList();
        Assert.That(chunks.Select(c => c.Encodings.Contains("RLE_DICTIONARY", StringComparison.Ordinal)), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void Write_DictionaryDisabled_FixedWidthStaysPlain()
    {
        var (path, _, keys) = WriteNumeric(new ParquetWriterOptions { DictionaryPageBytes = 0 }, row => row % 3, (0, 3_000));
        AssertRoundTrip(path, keys);
        Assert.That(ChunkEncodings(path).Select(c => c.Encodings), Has.All.Not.Contains("DICTIONARY"));
    }
}
