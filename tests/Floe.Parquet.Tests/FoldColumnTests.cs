using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Parquet.Reading;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet.Tests;

/// <summary>
/// <see cref="ParquetDataReader.FoldColumn"/> (the block decoder behind scan aggregates) against the array path,
/// <see cref="ParquetDataReader.ReadColumns"/>: for every fixed-width column, with and without nulls, promoted or not,
/// over dictionary, PLAIN, delta and byte-stream-split pages, page sizes swept across the 64-row word and the
/// 4096-value block, and selections from none to all rows, the values the sink sees under its mask are exactly the
/// non-null selected values of the decoded array, in row order, bit for bit.
/// </summary>
[TestFixture]
public sealed class FoldColumnTests
{
    private const int Rows = 9000;
    private string _dir = "";

    internal static readonly Schema FileSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "small", false, PrimitiveType.Int),
        new NestedField(3, "ratio", false, PrimitiveType.Float),
        new NestedField(4, "amount", false, PrimitiveType.Double),
        new NestedField(5, "ts", true, PrimitiveType.TimestampTz),
        new NestedField(6, "day", false, PrimitiveType.Date),
        new NestedField(7, "sparse", false, PrimitiveType.Double),
        new NestedField(8, "label", false, PrimitiveType.String),
    });

    // The same columns read promoted (int → long, float → double) as Iceberg allows.
    private static readonly Schema Promoted = new(0, new[]
    {
        new NestedField(2, "small", false, PrimitiveType.Long),
        new NestedField(3, "ratio", false, PrimitiveType.Double),
        new NestedField(4, "amount", false, PrimitiveType.Double),
    });

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-fold-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    public static IEnumerable<TestCaseData> Layouts()
    {
        foreach (var pageRows in new[] { 1, 63, 64, 65, 1000, 4095, 4097, int.MaxValue })
        {
            // One-row pages get a file of their own size (RowsOf): two row groups still, of 1,500 and 900 rows.
            var rowGroupRows = pageRows == 1 ? 1500 : 5000;
            yield return new TestCaseData(new ParquetWriterOptions { PageRows = pageRows, RowGroupRows = rowGroupRows }).SetName($"Dictionary_PageRows{pageRows}");
        }
        yield return new TestCaseData(new ParquetWriterOptions { DictionaryPageBytes = 0, PageRows = 777, RowGroupRows = 5000 }).SetName("Plain_PageRows777");
        yield return new TestCaseData(new ParquetWriterOptions { DictionaryPageBytes = 512, PageBytes = 4096, Codec = ParquetCodec.Snappy }).SetName("DictionaryFallsBackToPlain_Snappy");
        yield return new TestCaseData(new ParquetWriterOptions { DeltaIntegers = true, ByteStreamSplitFloats = true, DictionaryPageBytes = 0, PageBytes = 8192, Codec = ParquetCodec.Uncompressed })
            .SetName("DeltaAndByteStreamSplit_Uncompressed");
    }

    [TestCaseSource(nameof(Layouts))]
    public void FoldColumn_EqualsReadColumns_EveryLayoutAndSelection(ParquetWriterOptions options)
    {
        var path = LayoutFiles.Get(options);
        foreach (var projection in new[] { FileSchema, Promoted })
        {
            using var reader = ParquetDataReader.Open(new LocalFileIO(), path, projection);
            Assert.That(reader.RowGroupCount, Is.GreaterThanOrEqualTo(1));
            var rng = new Random(3);
            var folded = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var rows = reader.RowGroupRows(g);
                var all = new bool[projection.Fields.Count];
                System.Array.Fill(all, true);
                var arrays = reader.ReadColumns(g, all);
                foreach (var selection in Selections(rng, rows))
                {
                    for (var f = 0; f < projection.Fields.Count; f++)
                    {
                        var field = projection.Fields[f];
                        var width = Width((PrimitiveType)field.Type);
                        var sink = new Collect(width);
                        var ok = reader.FoldColumn(g, field.Id, selection, sink);
                        if (field.Type == PrimitiveType.String)
                        {
                            Assert.That(ok, Is.False, "strings are left to the array path");
                            continue;
                        }
                        Assert.That(ok, Is.True, $"{field.Name}: fixed-width column folds");
                        folded++;
                        var expected = Expected(arrays[f]!, selection, width);
                        // NUnit (and the message) only for a difference: its collection equality boxes every element.
                        if (!sink.Values.SequenceEqual(expected)) Assert.That(sink.Values, Is.EqualTo(expected), $"{field.Name} ({field.Type}) row group {g}, {Describe(selection, rows)}");
                    }
                }
            }
            Assert.That(folded, Is.GreaterThan(0));
        }
    }

    [Test]
    public void FoldColumn_UnknownOrConstantColumns_ReturnFalseAndTouchNoSink()
    {
        var path = Write(new ParquetWriterOptions());
        var projection = new Schema(0, new[] { new NestedField(4, "amount", false, PrimitiveType.Double), new NestedField(99, "added", false, PrimitiveType.Long) });
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, projection, new Dictionary<int, object?> { [4] = 1.5 });
        var sink = new Collect(8);
        Assert.That(reader.FoldColumn(0, 99, null, sink), Is.False, "a field the file lacks");
        Assert.That(reader.FoldColumn(0, 4, null, sink), Is.False, "a constant column");
        Assert.That(sink.Values, Is.Empty);
    }

    [Test]
    public void DecodeBits_RandomLevels_EqualsDecodeOfWidthOne()
    {
        var rng = new Random(8);
        foreach (var count in new[] { 1, 7, 8, 63, 64, 65, 127, 128, 129, 1000, 4096, 5001 })
        {
            for (var trial = 0; trial < 20; trial++)
            {
                var (data, values) = RandomLevels(rng, count);
                var bits = new ulong[(count + 63) / 64 + 1];
                bits.AsSpan().Fill(ulong.MaxValue); // the decoder clears what it covers
                RleHybrid.DecodeBits(data, count, bits);
                var reference = new int[count];
                RleHybrid.Decode(data, 1, reference);
                Same.Sequence(reference, values);
                for (var i = 0; i < count; i++)
                {
                    var bit = (bits[i >> 6] >> (i & 63) & 1) == 1;
                    if (bit != (values[i] == 1)) Assert.That(bit, Is.EqualTo(values[i] == 1), $"{count} values, trial {trial}, bit {i}");
                }
                if ((count & 63) != 0) Assert.That(bits[(count - 1) >> 6] >> (count & 63), Is.Zero, "bits past the count stay clear");
            }
        }
    }

    [Test]
    public void Compact_KeepsSelectionBitsOfValidRowsInOrder()
    {
        var rng = new Random(11);
        foreach (var count in new[] { 1, 64, 65, 200, 4097 })
        {
            var words = (count + 63) / 64;
            var rows = new ulong[words];
            var valid = new ulong[words];
            var expected = new List<bool>();
            for (var i = 0; i < count; i++)
            {
                var v = rng.Next(3) > 0;
                var s = rng.Next(2) == 0;
                if (v) valid[i >> 6] |= 1UL << (i & 63);
                if (s) rows[i >> 6] |= 1UL << (i & 63);
                if (v) expected.Add(s);
            }
            var destination = new ulong[(expected.Count + 63) / 64 + 1];
            FlatColumnReader.Compact(rows, valid, destination);
            for (var k = 0; k < expected.Count; k++)
            {
                var bit = (destination[k >> 6] >> (k & 63) & 1) == 1;
                if (bit != expected[k]) Assert.That(bit, Is.EqualTo(expected[k]), $"{count}: value {k}");
            }
        }
    }

    private static IEnumerable<ulong[]?> Selections(Random rng, int rows)
    {
        var words = (rows + 63) / 64;
        yield return null;
        yield return new ulong[words];
        var everything = new ulong[words];
        System.Array.Fill(everything, ulong.MaxValue);
        everything[^1] = rows % 64 == 0 ? ulong.MaxValue : (1UL << (rows % 64)) - 1;
        yield return everything;
        foreach (var density in new[] { 0.02, 0.5 })
        {
            var bits = new ulong[words];
            for (var i = 0; i < rows; i++)
            {
                if (rng.NextDouble() < density) bits[i >> 6] |= 1UL << (i & 63);
            }
            yield return bits;
        }
        // One run in the middle: pages before and after select nothing.
        var run = new ulong[words];
        for (var i = rows / 3; i < rows / 3 + 100 && i < rows; i++) run[i >> 6] |= 1UL << (i & 63);
        yield return run;
    }

    private static string Describe(ulong[]? selection, int rows) =>
        selection is null ? "no selection" : $"{selection.Sum(w => System.Numerics.BitOperations.PopCount(w))} of {rows} rows selected";

    private static int Width(PrimitiveType type) => type.Id is TypeId.Int or TypeId.Date or TypeId.Float ? 4 : 8;

    private static List<ulong> Expected(IArrowArray array, ulong[]? selection, int width)
    {
        var values = array.Data.Buffers[1].Span;
        var result = new List<ulong>();
        for (var r = 0; r < array.Length; r++)
        {
            if (array.IsNull(r)) continue;
            if (selection is not null && (selection[r >> 6] >> (r & 63) & 1) == 0) continue;
            result.Add(Bits(values.Slice((array.Offset + r) * width, width)));
        }
        return result;
    }

    private static ulong Bits(ReadOnlySpan<byte> value) =>
        value.Length == 4 ? BitConverter.ToUInt32(value) : BitConverter.ToUInt64(value);

    private sealed class Collect(int width) : IValueBlockSink
    {
        public List<ulong> Values { get; } = new();

        public void Add(ReadOnlySpan<byte> values, ReadOnlySpan<ulong> mask, int count)
        {
            Assert.That(count, Is.GreaterThan(0));
            Assert.That(values.Length, Is.EqualTo(count * width));
            if (!mask.IsEmpty) Assert.That(mask.Length, Is.EqualTo((count + 63) / 64), "one mask word per 64 values");
            for (var i = 0; i < count; i++)
            {
                if (mask.IsEmpty || (mask[i >> 6] >> (i & 63) & 1) == 1) Values.Add(Bits(values.Slice(i * width, width)));
            }
            if (!mask.IsEmpty && (count & 63) != 0) Assert.That(mask[^1] >> (count & 63), Is.Zero, "mask bits past the block stay clear");
        }
    }

    private string Write(ParquetWriterOptions options) => Write(_dir, options);

    /// <summary>
    /// The rows a file of <paramref name="options"/> holds: 9,000, but 2,400 for one-row pages, whose premise is a page
    /// a row (2,400 pages a column across the 64-row words and both row groups); at 9,000 that one layout cost as
    /// much as the ten others together, every reader call walking 5,000 page headers a column.
    /// </summary>
    internal static int RowsOf(ParquetWriterOptions options) => options.PageRows == 1 ? 2400 : Rows;

    internal static string Write(string dir, ParquetWriterOptions options)
    {
        var path = Path.Combine(dir, $"fold-{Guid.NewGuid():N}.parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, FileSchema, "{}", options);
        var rows = RowsOf(options);
        for (var start = 0; start < rows; start += 1300)
        {
            using var batch = Batch(start, Math.Min(1300, rows - start));
            writer.Write(batch);
        }
        writer.Close();
        return path;
    }

    private static RecordBatch Batch(int start, int count)
    {
        var ids = new long?[count];
        var small = new int?[count];
        var ratio = new float?[count];
        var amount = new double?[count];
        var ts = new long?[count];
        var day = new int?[count];
        var sparse = new double?[count];
        var label = new string?[count];
        for (var k = 0; k < count; k++)
        {
            var i = start + k;
            ids[k] = i * 7919L - 3_000_000;
            small[k] = i % 7 == 0 ? null : (i * 31) % 500 - 250;
            ratio[k] = i % 11 == 0 ? null : (i % 97) / 8f;
            amount[k] = i % 5 == 0 ? null : (i % 301) * 0.25 - 20;
            ts[k] = 1_700_000_000_000_000L + i * 1_000_003L;
            day[k] = i % 13 == 0 ? null : 19_000 + i % 40;
            // Long runs of nulls (RLE runs of level 0) with a few values between.
            sparse[k] = (i / 700) % 2 == 0 && i % 9 != 0 ? null : i * 1.5;
            label[k] = i % 3 == 0 ? null : "l" + (i % 5);
        }
        var arrow = Floe.Core.Arrow.ArrowSchemas.ToArrow(FileSchema);
        return new RecordBatch(arrow, new[]
        {
            ArrowTestData.Primitive(Int64Type.Default, ids),
            ArrowTestData.Primitive(Int32Type.Default, small),
            ArrowTestData.Primitive(FloatType.Default, ratio),
            ArrowTestData.Primitive(DoubleType.Default, amount),
            ArrowTestData.Primitive(new TimestampType(TimeUnit.Microsecond, "UTC"), ts),
            ArrowTestData.Primitive(Date32Type.Default, day),
            ArrowTestData.Primitive(DoubleType.Default, sparse),
            ArrowTestData.Strings(label),
        }, count);
    }

    /// <summary>Random 1-bit levels encoded as a mix of RLE runs and bit-packed runs, with the values they stand for.</summary>
    internal static (byte[] Data, int[] Values) RandomLevels(Random rng, int count)
    {
        var data = new List<byte>();
        var values = new List<int>();
        while (values.Count < count)
        {
            if (rng.Next(2) == 0)
            {
                var n = rng.Next(1, 300);
                var v = rng.Next(2);
                WriteVarint(data, (ulong)n << 1);
                data.Add((byte)v);
                for (var i = 0; i < n; i++) values.Add(v);
            }
            else
            {
                var groups = rng.Next(1, 40);
                WriteVarint(data, ((ulong)groups << 1) | 1);
                for (var g = 0; g < groups; g++)
                {
                    var b = rng.Next(256);
                    data.Add((byte)b);
                    for (var i = 0; i < 8; i++) values.Add(b >> i & 1);
                }
            }
        }
        return (data.ToArray(), values.GetRange(0, count).ToArray());
    }

    private static void WriteVarint(List<byte> data, ulong value)
    {
        while (value >= 0x80)
        {
            data.Add((byte)(value | 0x80));
            value >>= 7;
        }
        data.Add((byte)value);
    }
}
