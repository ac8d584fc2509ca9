using System.Runtime.InteropServices;
using Apache.Arrow;
using Floe.Core.Io;
using Floe.Parquet.Reading;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// <see cref="ParquetDataReader.FilterDictionary(int, int, Func{IArrowArray, bool[]}, ulong[])"/> (dictionary
/// predicate written straight into a selection bitmap) against the <c>bool[]</c> overload and against the predicate
/// applied to the decoded column row by row, over page sizes, null patterns (none, scattered, long null runs, null
/// entry matching or not) and selections from none to all; and <see cref="RleHybrid.DecodeMatches"/> against a full
/// decode for every bit width.
/// </summary>
[TestFixture]
public sealed class FilterDictionaryBitsTests
{
    [TestCaseSource(typeof(FoldColumnTests), nameof(FoldColumnTests.Layouts))]
    public void FilterDictionaryBits_EqualsBoolOverloadAndRowByRowPredicate(ParquetWriterOptions options)
    {
        var path = LayoutFiles.Get(options);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, FoldColumnTests.FileSchema);
        var checkedChunks = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var rows = (int)reader.RowGroupRows(g);
            var batch = reader.ReadRowGroup(g).Batch;
            for (var f = 0; f < FoldColumnTests.FileSchema.Fields.Count; f++)
            {
                var field = FoldColumnTests.FileSchema.Fields[f];
                var column = batch.Column(f);
                foreach (var percent in new[] { 0, 2, 50, 100 })
                {
                    foreach (var nullMatches in new[] { false, true })
                    {
                        bool[] Predicate(IArrowArray dictionary)
                        {
                            var result = new bool[dictionary.Length];
                            for (var i = 0; i < result.Length; i++) result[i] = Matches(dictionary, i, percent, nullMatches);
                            return result;
                        }
                        var keep = new bool[rows];
                        // Garbage in the bitmap and one word past the row group: the chunk's words are overwritten.
                        var bits = new ulong[((rows + 63) >> 6) + 1];
                        bits.AsSpan().Fill(0xA5A5_A5A5_A5A5_A5A5UL);
                        var expectedCount = reader.FilterDictionary(g, field.Id, Predicate, keep);
                        var count = reader.FilterDictionary(g, field.Id, Predicate, bits);
                        var what = $"{field.Name} rg {g} {percent}% null {nullMatches}";
                        Assert.That(count, Is.EqualTo(expectedCount), what);
                        if (count < 0) continue; // not dictionary-encoded throughout
                        long oracle = 0;
                        for (var r = 0; r < rows; r++)
                        {
                            var want = Matches(column, r, percent, nullMatches);
                            oracle += want ? 1 : 0;
                            var bit = (bits[r >> 6] >> (r & 63) & 1) != 0;
                            if (bit != want || keep[r] != want) Assert.Fail($"{what}: row {r} bit {bit}, bool {keep[r]}, value says {want}");
                        }
                        Assert.That(count, Is.EqualTo(oracle), what);
                        if ((rows & 63) != 0) Assert.That(bits[rows >> 6] >> (rows & 63), Is.Zero, $"{what}: bits past the row group stay clear");
                        Assert.That(bits[^1], Is.EqualTo(0xA5A5_A5A5_A5A5_A5A5UL), $"{what}: words past the row group untouched");
                        checkedChunks++;
                    }
                }
            }
        }
        if (options.DictionaryPageBytes != 0 && !options.DeltaIntegers) Assert.That(checkedChunks, Is.GreaterThan(0));
    }

    /// <summary>
    /// A bit-packed run after an RLE run of every length 0..64, so its verdicts start at every offset within a bitmap
    /// word and cross several words, read to its end and cut short at every point of its last group: equals the
    /// full decode looked up, with no bit set past the values.
    /// </summary>
    [Test]
    public void DecodeMatches_BitPackedRunFromEveryWordOffset_EqualsFullDecodeLookedUp()
    {
        var rng = new Random(12);
        foreach (var width in new[] { 1, 3, 8, 11, 15, 17 })
        {
            for (var lead = 0; lead <= 64; lead++)
            {
                var data = new List<byte>();
                if (lead > 0)
                {
                    WriteVarint(data, (ulong)lead << 1);
                    for (var b = 0; b < (width + 7) / 8; b++) data.Add((byte)(b == 0 ? 1 : 0));
                }
                var groups = 1 + rng.Next(40);
                WriteVarint(data, ((ulong)groups << 1) | 1);
                var packed = new byte[groups * width];
                rng.NextBytes(packed);
                data.AddRange(packed);
                var total = lead + groups * 8;
                var all = new int[total];
                RleHybrid.Decode(data.ToArray(), width, all);
                var match = new byte[1 << width];
                for (var e = 0; e < match.Length; e++) match[e] = rng.Next(3) == 0 ? (byte)1 : (byte)0;
                for (var count = Math.Max(1, total - 8); count <= total; count++)
                {
                    var bits = new ulong[((count + 63) >> 6) + 1];
                    bits.AsSpan().Fill(ulong.MaxValue);
                    RleHybrid.DecodeMatches(data.ToArray(), width, count, match, bits);
                    for (var i = 0; i < count; i++)
                    {
                        if (((bits[i >> 6] >> (i & 63) & 1) != 0) != (match[all[i]] != 0)) Assert.Fail($"width {width}, lead {lead}, count {count}: value {i}");
                    }
                    if ((count & 63) != 0) Assert.That(bits[count >> 6] >> (count & 63), Is.Zero, $"width {width}, lead {lead}, count {count}: bits past the values");
                }
            }
        }
    }

    [Test]
    public void DecodeMatches_EveryWidth_EqualsFullDecodeLookedUp()
    {
        var rng = new Random(8);
        for (var width = 0; width <= 20; width++)
        {
            var (data, count) = RandomStream(rng, width);
            var all = new int[count];
            RleHybrid.Decode(data, width, all);
            var entries = all.Length == 0 ? 1 : all.Max() + 1;
            foreach (var density in new[] { 0.0, 0.02, 0.5, 1.0 })
            {
                var match = new byte[entries];
                for (var e = 0; e < entries; e++) match[e] = rng.NextDouble() < density ? (byte)1 : (byte)0;
                var bits = new ulong[((count + 63) >> 6) + 1];
                bits.AsSpan().Fill(ulong.MaxValue);
                RleHybrid.DecodeMatches(data, width, count, match, bits);
                for (var i = 0; i < count; i++)
                {
                    var bit = (bits[i >> 6] >> (i & 63) & 1) != 0;
                    if (bit != (match[all[i]] != 0)) Assert.Fail($"width {width}, density {density}: value {i}");
                }
                if ((count & 63) != 0) Assert.That(bits[count >> 6] >> (count & 63), Is.Zero, $"width {width}: bits past the values stay clear");
            }
            if (entries > 1)
            {
                var tooShort = new byte[entries - 1];
                Assert.Throws<InvalidDataException>(() => RleHybrid.DecodeMatches(data, width, count, tooShort, new ulong[(count + 63) >> 6]), $"width {width}: index past the dictionary");
            }
        }
    }

    /// <summary>A value-based predicate: keeps a fixed share of distinct values by a hash of their bytes.</summary>
    private static bool Matches(IArrowArray array, int i, int percent, bool nullMatches)
    {
        if (array.IsNull(i)) return nullMatches;
        ReadOnlySpan<byte> bytes;
        if (array is StringArray s)
        {
            bytes = s.GetBytes(i);
        }
        else
        {
            var width = ((Apache.Arrow.Types.FixedWidthType)array.Data.DataType).BitWidth / 8;
            bytes = array.Data.Buffers[1].Span.Slice((array.Offset + i) * width, width);
        }
        uint hash = 2166136261;
        foreach (var b in bytes) hash = (hash ^ b) * 16777619;
        return hash % 100 < (uint)percent;
    }

    /// <summary>A hybrid stream of random RLE and bit-packed runs at <paramref name="width"/> bits, and its value count.</summary>
    private static (byte[] Data, int Count) RandomStream(Random rng, int width)
    {
        var data = new List<byte>();
        var count = 0;
        var byteWidth = (width + 7) / 8;
        for (var run = 0; run < 40; run++)
        {
            if (rng.Next(2) == 0)
            {
                var n = rng.Next(1, 200);
                WriteVarint(data, (ulong)n << 1);
                var value = width == 0 ? 0 : (long)((ulong)rng.NextInt64() & ((1UL << width) - 1));
                for (var b = 0; b < byteWidth; b++) data.Add((byte)(value >> (8 * b)));
                count += n;
            }
            else
            {
                var groups = rng.Next(1, 20);
                WriteVarint(data, ((ulong)groups << 1) | 1);
                var bytes = new byte[groups * width];
                rng.NextBytes(bytes);
                data.AddRange(bytes);
                count += groups * 8;
            }
        }
        return (data.ToArray(), count);
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
