using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Floe.Iceberg.Transforms;

/// <summary>
/// The 32-bit Murmur3 hash, x86 variant, seed 0, as the spec's bucket transform requires (Appendix B).
/// </summary>
public static class Murmur3
{
    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    /// <summary><c>hashLong(v)</c>: the hash of the 8 little-endian bytes of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HashLong(long value)
    {
        var h = MixH1(0, MixK1((uint)value));
        h = MixH1(h, MixK1((uint)(value >> 32)));
        return (int)Fmix(h ^ 8);
    }

    /// <summary>
    /// <c>hashInt(v)</c> as Iceberg defines it for int, date and boolean: identical to <see cref="HashLong"/> of the
    /// widened value, so promoting int to long never moves a row to another bucket.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HashInt(int value) => HashLong(value);

    /// <summary><c>hashBytes(b)</c>: the hash of an arbitrary byte sequence.</summary>
    public static int HashBytes(ReadOnlySpan<byte> data)
    {
        uint h = 0;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            h = MixH1(h, MixK1(BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4))));
        }
        var tail = data[(blocks * 4)..];
        uint k1 = 0;
        switch (tail.Length)
        {
            case 3:
                k1 ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                k1 ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                k1 ^= tail[0];
                h ^= MixK1(k1);
                break;
        }
        return (int)Fmix(h ^ (uint)data.Length);
    }

    /// <summary>
    /// <c>hashLong(doubleToLongBits(v))</c> with the spec's canonicalization: every NaN hashes as
    /// <c>0x7ff8000000000000</c> and -0.0 as 0.0. Floats are hashed as the widened double.
    /// </summary>
    public static int HashDouble(double value)
    {
        if (double.IsNaN(value)) return HashLong(0x7ff8000000000000L);
        if (value == 0.0) return HashLong(0);
        return HashLong(BitConverter.DoubleToInt64Bits(value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MixK1(uint k1)
    {
        k1 *= C1;
        k1 = BitOperations.RotateLeft(k1, 15);
        return k1 * C2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MixH1(uint h1, uint k1)
    {
        h1 ^= k1;
        h1 = BitOperations.RotateLeft(h1, 13);
        return h1 * 5 + 0xe6546b64;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fmix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
