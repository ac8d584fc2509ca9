using Floe.Parquet.Reading;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// <see cref="RleHybrid.Decode"/> against values packed here bit by bit (LSB first, as the Parquet spec lays out a
/// bit-packed run), for every bit width and run lengths whose last values sit in the run's final 8 bytes.
/// </summary>
[TestFixture]
public sealed class RleHybridTests
{
    [Test]
    public void Decode_BitPackedRunsEveryWidth_EqualsPackedValues()
    {
        var rng = new Random(14);
        for (var width = 1; width <= 32; width++)
        {
            foreach (var groups in new[] { 1, 2, 3, 7, 64, 129 })
            {
                var count = groups * 8;
                var values = new int[count];
                for (var i = 0; i < count; i++) values[i] = (int)((ulong)rng.NextInt64() & (width == 32 ? uint.MaxValue : (1UL << width) - 1));
                var data = Encode(values, width, groups);
                // The decoder may be asked for fewer values than the run holds (the page's value count).
                foreach (var wanted in new[] { count, count - 1, Math.Max(1, count - 9) })
                {
                    var decoded = new int[wanted];
                    RleHybrid.Decode(data, width, decoded);
                    Same.Sequence(decoded, values.AsSpan(0, wanted).ToArray(), $"width {width}, {groups} groups, {wanted} values");
                }
            }
        }
    }

    [Test]
    public void Decode_RleRunThenBitPackedRun_EqualsBoth()
    {
        // header (5 << 1) = an RLE run of 5 copies of 3 at width 2 (one byte), then one bit-packed group of 8.
        var packed = new[] { 0, 1, 2, 3, 3, 2, 1, 0 };
        var data = new List<byte> { 5 << 1, 3 };
        data.AddRange(Encode(packed, 2, 1));
        var decoded = new int[13];
        RleHybrid.Decode(data.ToArray(), 2, decoded);
        Assert.That(decoded, Is.EqualTo(new[] { 3, 3, 3, 3, 3, 0, 1, 2, 3, 3, 2, 1, 0 }));
    }

    private static byte[] Encode(int[] values, int width, int groups)
    {
        var body = new byte[groups * width];
        for (var i = 0; i < values.Length; i++)
        {
            for (var b = 0; b < width; b++)
            {
                if (((uint)values[i] >> b & 1) == 0) continue;
                var bit = (long)i * width + b;
                body[bit >> 3] |= (byte)(1 << (int)(bit & 7));
            }
        }
        var header = new List<byte>();
        var h = (uint)(groups << 1 | 1);
        while (h >= 0x80)
        {
            header.Add((byte)(h | 0x80));
            h >>= 7;
        }
        header.Add((byte)h);
        return header.Concat(body).ToArray();
    }
}
