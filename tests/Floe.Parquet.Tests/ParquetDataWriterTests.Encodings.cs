using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Parquet;
using Floe.Parquet.Encodings;
using Floe.Parquet.Writing;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT pages, checked through DuckDB, Parquet.Net and Floe's own reader.</summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly ParquetWriterOptions DeltaSplit = new()
    {
        DeltaIntegers = true,
        ByteStreamSplitFloats = true,
        DictionaryPageBytes = 0,
        RowGroupRows = 40_000,
        PageBytes = 8192,
    };

    [TestCase(ParquetCodec.Zstd)]
    [TestCase(ParquetCodec.Snappy)]
    [TestCase(ParquetCodec.Uncompressed)]
    public void Write_DeltaAndByteStreamSplit_HighCardinality_SameValuesEverywhere(ParquetCodec codec)
    {
        var (path, _, keys) = WriteNumeric(DeltaSplit with { Codec = codec }, row => row * 2_654_435_761L % 1_000_003 - 500_000, (0, 50_000), (50_000, 30_000), (80_000, 7));
        AssertRoundTrip(path, keys);
        var chunks = ChunkEncodings(path);
        Assert.Multiple(() =>
        {
            Assert.That(chunks.Select(c => c.Group).Distinct().Count(), Is.EqualTo(3));
            foreach (var chunk in chunks)
            {
                var expected = chunk.Column switch
                {
                    "id" or "i" or "l" or "ts" or "dt" => "DELTA_BINARY_PACKED",
                    "f" or "d" => "BYTE_STREAM_SPLIT",
                    _ => "PLAIN", // decimals keep PLAIN
                };
                Assert.That(chunk.Encodings, Does.Contain(expected), $"{chunk.Column} rg {chunk.Group}");
                Assert.That(chunk.HasDictionary, Is.False, $"{chunk.Column} rg {chunk.Group}");
            }
        });
    }

    [Test]
    public void Write_DeltaSortedAndAllEqual_SmallerThanPlainAndSameValues()
    {
        var plain = WriteNumeric(DeltaSplit with { DeltaIntegers = false, ByteStreamSplitFloats = false, Codec = ParquetCodec.Uncompressed }, row => row / 3, (0, 60_000));
        var plainBytes = new FileInfo(plain.Path).Length;
        var (path, _, keys) = WriteNumeric(DeltaSplit with { Codec = ParquetCodec.Uncompressed }, row => row / 3, (0, 60_000));
        AssertRoundTrip(path, keys);
        Assert.That(new FileInfo(path).Length, Is.LessThan(plainBytes / 2), "sorted integers take a few bits a value");

        var (equalPath, _, equalKeys) = WriteNumeric(DeltaSplit, _ => 42, (0, 10_000), (10_000, 1));
        AssertRoundTrip(equalPath, equalKeys);
    }

    [Test]
    public void Write_DeltaIntegersSkipTheDictionary_FloatsAbandoningItUseByteStreamSplit()
    {
        // Low cardinality: floats and decimals keep the dictionary, integer columns are delta encoded instead.
        var options = DeltaSplit with { DictionaryPageBytes = 2 << 20 };
        var (path, _, keys) = WriteNumeric(options, row => row % 5, (0, 50_000));
        AssertRoundTrip(path, keys);
        Assert.Multiple(() =>
        {
            foreach (var chunk in ChunkEncodings(path))
            {
                var delta = chunk.Column is "id" or "i" or "l" or "ts" or "dt";
                Assert.That(chunk.HasDictionary, Is.EqualTo(!delta), chunk.Column);
                if (delta) Assert.That(chunk.Encodings, Does.Contain("DELTA_BINARY_PACKED"), chunk.Column);
            }
        });

        var (randomPath, _, randomKeys) = WriteNumeric(options, row => row * 2_654_435_761L % 1_000_003, (0, 50_000));
        AssertRoundTrip(randomPath, randomKeys);
        var chunks = ChunkEncodings(randomPath);
        Assert.That(chunks.Where(c => c.Column == "l").Select(c => c.Encodings), Has.All.Contain("DELTA_BINARY_PACKED"));
        Assert.That(chunks.Where(c => c.Column == "d").Select(c => c.Encodings), Has.All.Contain("BYTE_STREAM_SPLIT"));
    }

    private static readonly Schema ExtremeSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "i", false, PrimitiveType.Int),
        new NestedField(3, "l", false, PrimitiveType.Long),
        new NestedField(4, "f", false, PrimitiveType.Float),
        new NestedField(5, "d", false, PrimitiveType.Double),
        new NestedField(6, "n", false, PrimitiveType.Long),
    });

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(129)]
    [TestCase(5_000)]
    public void Write_ExtremeValuesAndNulls_RoundTripThroughDuckDbAndFloe(int rows)
    {
        long[] longs = [long.MinValue, long.MaxValue, 0, -1, 1, long.MinValue + 1, long.MaxValue - 1];
        int[] ints = [int.MinValue, int.MaxValue, 0, -1, 1, int.MinValue + 1];
        double[] doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, double.MaxValue, double.MinValue, 1.5];
        float[] floats = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue, 2.25f];
        var rnd = new Random(7);
        var id = new long?[rows];
        var i = new int?[rows];
        var l = new long?[rows];
        var f = new float?[rows];
        var d = new double?[rows];
        var n = new long?[rows];
        for (var r = 0; r < rows; r++)
        {
            id[r] = r;
            var pick = rnd.Next(20);
            i[r] = pick == 0 ? null : pick < 10 ? ints[rnd.Next(ints.Length)] : rnd.Next(int.MinValue, int.MaxValue);
            l[r] = pick == 1 ? null : pick < 10 ? longs[rnd.Next(longs.Length)] : rnd.NextInt64(long.MinValue, long.MaxValue);
            f[r] = pick == 2 ? null : pick < 10 ? floats[rnd.Next(floats.Length)] : (float)rnd.NextDouble();
            d[r] = pick == 3 ? null : pick < 10 ? doubles[rnd.Next(doubles.Length)] : rnd.NextDouble() * 1e300;
            n[r] = null;
        }
        var path = Path.Combine(_dir, "extreme.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, ExtremeSchema, "{}", DeltaSplit with { RowGroupRows = 2_000, PageBytes = 4096 }))
        {
            using var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(ExtremeSchema), new[]
            {
                ArrowTestData.Primitive<long>(Int64Type.Default, id),
                ArrowTestData.Primitive<int>(Int32Type.Default, i),
                ArrowTestData.Primitive<long>(Int64Type.Default, l),
                ArrowTestData.Primitive<float>(FloatType.Default, f),
                ArrowTestData.Primitive<double>(DoubleType.Default, d),
                ArrowTestData.Primitive<long>(Int64Type.Default, n),
            }, rows);
            writer.Write(batch);
            writer.Close();
        }

        var duck = DuckDb.Query($"SELECT i, l, f, d, n FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id");
        Assert.That(duck, Has.Count.EqualTo(rows));
        var floe = new List<object?[]>();
        using (var reader = ParquetDataReader.Open(new LocalFileIO(), path, ExtremeSchema))
        {
            foreach (var batch in reader.ReadAll())
            {
                var b = batch.Batch;
                for (var r = 0; r < b.Length; r++)
                {
                    floe.Add([
                        ((Int32Array)b.Column(1)).GetValue(r), ((Int64Array)b.Column(2)).GetValue(r),
                        ((FloatArray)b.Column(3)).GetValue(r), ((DoubleArray)b.Column(4)).GetValue(r), ((Int64Array)b.Column(5)).GetValue(r),
                    ]);
                }
            }
        }
        Assert.That(floe, Has.Count.EqualTo(rows));
        Assert.Multiple(() =>
        {
            for (var r = 0; r < rows; r++)
            {
                // NUnit (and the message) only for a difference; equal by Equals is equal to NUnit too.
                if (!Equals(duck[r]["i"], i[r])) Assert.That(duck[r]["i"], Is.EqualTo(i[r]), $"DuckDB i row {r}");
                if (!Equals(duck[r]["l"], l[r])) Assert.That(duck[r]["l"], Is.EqualTo(l[r]), $"DuckDB l row {r}");
                if (!Equals(duck[r]["f"], f[r])) Assert.That(duck[r]["f"], Is.EqualTo(f[r]), $"DuckDB f row {r}");
                if (!Equals(duck[r]["d"], d[r])) Assert.That(duck[r]["d"], Is.EqualTo(d[r]), $"DuckDB d row {r}");
                if (duck[r]["n"] is not null) Assert.That(duck[r]["n"], Is.Null, $"DuckDB n row {r}");
                if (!Equals(floe[r][0], i[r])) Assert.That(floe[r][0], Is.EqualTo(i[r]), $"Floe i row {r}");
                if (!Equals(floe[r][1], l[r])) Assert.That(floe[r][1], Is.EqualTo(l[r]), $"Floe l row {r}");
                // Floating point by bits: -0.0 and NaN must come back exactly.
                if (Bits(floe[r][2]) != Bits(f[r])) Assert.That(Bits(floe[r][2]), Is.EqualTo(Bits(f[r])), $"Floe f row {r}");
                if (Bits(floe[r][3]) != Bits(d[r])) Assert.That(Bits(floe[r][3]), Is.EqualTo(Bits(d[r])), $"Floe d row {r}");
                if (floe[r][4] is not null) Assert.That(floe[r][4], Is.Null, $"Floe n row {r}");
            }
        });
    }

    private static long? Bits(object? value) => value switch
    {
        float v => BitConverter.SingleToInt32Bits(v),
        double v => BitConverter.DoubleToInt64Bits(v),
        _ => null,
    };

    [Test]
    public void DeltaBinaryPacked_RoundTripsEveryLengthAndWrapsLikeTheFormat()
    {
        var rnd = new Random(3);
        using var buffer = new GrowableBuffer();
        foreach (var length in new[] { 0, 1, 2, 31, 32, 33, 127, 128, 129, 130, 255, 256, 257, 1000 })
        {
            foreach (var shape in new[] { "random", "sorted", "equal", "extremes" })
            {
                var values = new long[length];
                for (var k = 0; k < length; k++)
                {
                    values[k] = shape switch
                    {
                        "random" => rnd.NextInt64(long.MinValue, long.MaxValue),
                        "sorted" => 1_700_000_000_000_000L + k * 1_000_003L + rnd.Next(1000),
                        "equal" => -17,
                        _ => k % 2 == 0 ? long.MinValue : long.MaxValue,
                    };
                }
                buffer.Length = 0;
                DeltaBinaryPacked.Encode(values, buffer);
                var decoded = new long[length];
                DeltaBinaryPacked.Decode(buffer.WrittenSpan, decoded);
                Same.Sequence(decoded, values, $"{shape} x {length}");

                var ints = values.Select(v => (int)v).ToArray();
                buffer.Length = 0;
                DeltaBinaryPacked.Encode(ints, buffer);
                DeltaBinaryPacked.Decode(buffer.WrittenSpan, decoded);
                Assert.That(decoded.Select(v => (int)v), Is.EqualTo(ints), $"int32 {shape} x {length}");
            }
        }
    }

    [Test]
    public void DeltaBinaryPacked_WholeBlocks_SameBytesAsTheScalarEncoding()
    {
        // Whole blocks take the vector path: every miniblock width from 0 to 64, INT32 wrapping, negative minima.
        var rnd = new Random(11);
        using var buffer = new GrowableBuffer();
        foreach (var width in Enumerable.Range(0, 65))
        {
            foreach (var length in new[] { 129, 257, 300, 1025 })
            {
                var values = new long[length];
                long v = rnd.NextInt64();
                for (var k = 0; k < length; k++)
                {
                    var step = width == 0 ? 5 : width == 64 ? rnd.NextInt64(long.MinValue, long.MaxValue) : rnd.NextInt64(1L << (width - 1)) - (k % 3 == 0 ? 1L << (width - 2 > 0 ? width - 2 : 0) : 0);
                    // One wide delta in some miniblocks, at a position that moves through every lane and slot.
                    if (k % 37 == width % 37 && width is > 0 and < 63) step += 1L << width;
                    v = unchecked(v + step);
                    values[k] = v;
                }
                buffer.Length = 0;
                DeltaBinaryPacked.Encode(values, buffer);
                // NUnit (and its message) only for a difference: its collection equality boxes every byte of 520 encodings.
                var scalar = ScalarDelta(values, wrap32: false);
                if (!buffer.WrittenSpan.SequenceEqual(scalar)) Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(scalar), $"width {width} x {length}");
                var ints = values.Select(x => (int)x).ToArray();
                buffer.Length = 0;
                DeltaBinaryPacked.Encode(ints, buffer);
                var scalar32 = ScalarDelta(ints.Select(x => (long)x).ToArray(), wrap32: true);
                if (!buffer.WrittenSpan.SequenceEqual(scalar32)) Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(scalar32), $"int32 width {width} x {length}");
            }
        }
    }

    // The format written out plainly, value by value (what the writer did before its vector path).
    private static byte[] ScalarDelta(long[] values, bool wrap32)
    {
        var output = new List<byte>();
        void Uleb(ulong x)
        {
            while (x >= 0x80)
            {
                output.Add((byte)(x | 0x80));
                x >>= 7;
            }
            output.Add((byte)x);
        }
        static ulong ZigZag(long x) => unchecked((ulong)((x << 1) ^ (x >> 63)));
        Uleb(128);
        Uleb(4);
        Uleb((ulong)values.Length);
        Uleb(ZigZag(values.Length == 0 ? 0 : values[0]));
        for (var start = 1; start < values.Length; start += 128)
        {
            var n = Math.Min(128, values.Length - start);
            var deltas = new long[n];
            for (var i = 0; i < n; i++)
            {
                var d = unchecked(values[start + i] - values[start + i - 1]);
                deltas[i] = wrap32 ? (int)d : d;
            }
            var min = deltas.Min();
            Uleb(ZigZag(min));
            var packed = new ulong[128];
            for (var i = 0; i < n; i++)
            {
                var r = unchecked((ulong)(deltas[i] - min));
                packed[i] = wrap32 ? (uint)r : r;
            }
            var used = (n + 31) / 32;
            var widths = new byte[4];
            for (var m = 0; m < used; m++)
            {
                var or = packed.Skip(m * 32).Take(32).Aggregate(0UL, (a, b) => a | b);
                widths[m] = (byte)(64 - System.Numerics.BitOperations.LeadingZeroCount(or));
            }
            output.AddRange(widths);
            for (var m = 0; m < used; m++)
            {
                var bits = new System.Collections.BitArray(widths[m] * 32);
                for (var i = 0; i < 32; i++)
                {
                    for (var b = 0; b < widths[m]; b++) bits[i * widths[m] + b] = (packed[m * 32 + i] >> b & 1) != 0;
                }
                var bytes = new byte[widths[m] * 4];
                bits.CopyTo(bytes, 0);
                output.AddRange(bytes);
            }
        }
        return output.ToArray();
    }

    [Test]
    public void DeltaBinaryPacked_RejectsTruncatedAndShortRuns()
    {
        using var buffer = new GrowableBuffer();
        DeltaBinaryPacked.Encode(Enumerable.Range(0, 300).Select(v => (long)v * v).ToArray(), buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        Assert.Throws<InvalidDataException>(() => DeltaBinaryPacked.Decode(bytes.AsSpan(0, bytes.Length - 3), new long[300]));
        Assert.Throws<InvalidDataException>(() => DeltaBinaryPacked.Decode(bytes, new long[301]));
        Assert.Throws<InvalidDataException>(() => DeltaBinaryPacked.Decode(new byte[] { 0x80, 0x01, 0x04 }, new long[1]));
    }

    [Test]
    public void ByteStreamSplit_RoundTripsWidthsFourAndEight()
    {
        var rnd = new Random(5);
        foreach (var width in new[] { 4, 8 })
        {
            foreach (var count in new[] { 0, 1, 7, 1000 })
            {
                var values = new byte[count * width];
                rnd.NextBytes(values);
                var split = new byte[values.Length];
                ByteStreamSplit.Encode(values, width, split);
                if (count > 1) Assert.That(split[1], Is.EqualTo(values[width]), "stream 0 holds the first byte of each value");
                var joined = new byte[values.Length];
                ByteStreamSplit.Decode(split, width, count, joined);
                Same.Sequence(joined, values, $"width {width} x {count}");
            }
        }
        Assert.Throws<InvalidDataException>(() => ByteStreamSplit.Decode(new byte[15], 8, 2, new byte[16]));
    }

    [Test]
    public void ByteStreamSplit_EightByteValuesGoByteByByteIntoTheirStreams()
    {
        // Counts around the 16-value blocks the vector path transposes, checked against the definition itself (byte k
        // of value i at k * count + i), not only a round trip through the decoder.
        var rnd = new Random(11);
        foreach (var count in new[] { 15, 16, 17, 31, 32, 33, 47, 1000 })
        {
            var values = new byte[count * 8];
            rnd.NextBytes(values);
            var split = new byte[values.Length];
            ByteStreamSplit.Encode(values, 8, split);
            var expected = new byte[values.Length];
            for (var i = 0; i < count; i++)
            {
                for (var k = 0; k < 8; k++) expected[(k * count) + i] = values[(i * 8) + k];
            }
            Same.Sequence(split, expected, $"8 x {count}");
        }
    }
}
