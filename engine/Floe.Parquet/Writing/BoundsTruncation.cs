using System.Text;

namespace Floe.Parquet.Writing;

/// <summary>
/// Iceberg's <c>truncate(L)</c> metrics mode: lower bounds are prefixes; upper bounds are prefixes whose last
/// character (or byte) is incremented so they still bound every value; an upper bound that cannot be incremented is dropped.
/// </summary>
internal static class BoundsTruncation
{
    /// <summary>A string lower bound: the first <paramref name="length"/> code points.</summary>
    public static string StringLower(ReadOnlySpan<byte> utf8, int length)
    {
        var s = Encoding.UTF8.GetString(utf8);
        var cut = PrefixCharCount(s, length);
        return cut == s.Length ? s : s[..cut];
    }

    /// <summary>A string upper bound: the first <paramref name="length"/> code points with the last one incremented, or null.</summary>
    public static string? StringUpper(ReadOnlySpan<byte> utf8, int length)
    {
        var s = Encoding.UTF8.GetString(utf8);
        var cut = PrefixCharCount(s, length);
        if (cut == s.Length) return s;
        var runes = new List<Rune>(length);
        foreach (var rune in s[..cut].EnumerateRunes())
        {
            runes.Add(rune);
        }
        for (var i = runes.Count - 1; i >= 0; i--)
        {
            var next = runes[i].Value + 1;
            if (next is >= 0xD800 and <= 0xDFFF) next = 0xE000;
            if (next > 0x10FFFF) continue;
            var sb = new StringBuilder();
            for (var j = 0; j < i; j++)
            {
                sb.Append(runes[j].ToString());
            }
            sb.Append(new Rune(next).ToString());
            return sb.ToString();
        }
        return null;
    }

    /// <summary>A binary lower bound: the first <paramref name="length"/> bytes.</summary>
    public static byte[] BinaryLower(byte[] value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>A binary upper bound: the first <paramref name="length"/> bytes with the last non-0xFF byte incremented, or null.</summary>
    public static byte[]? BinaryUpper(byte[] value, int length)
    {
        if (value.Length <= length) return value;
        for (var i = length - 1; i >= 0; i--)
        {
            if (value[i] != 0xFF)
            {
                var result = value[..(i + 1)];
                result[i]++;
                return result;
            }
        }
        return null;
    }

    /// <summary>An unscaled value as a CLR decimal, or null when it does not fit (more than 96 bits or scale above 28).</summary>
    public static object? ToDecimal(Int128 unscaled, int scale)
    {
        if (scale > 28) return null;
        var negative = unscaled < 0;
        var magnitude = (UInt128)(negative ? -unscaled : unscaled);
        if (magnitude >> 96 != 0) return null;
        var lo = (int)(uint)magnitude;
        var mid = (int)(uint)(magnitude >> 32);
        var hi = (int)(uint)(magnitude >> 64);
        return new decimal(lo, mid, hi, negative, (byte)scale);
    }

    private static int PrefixCharCount(string s, int codePoints)
    {
        var index = 0;
        for (var n = 0; n < codePoints && index < s.Length; n++)
        {
            index += char.IsSurrogatePair(s, index) ? 2 : 1;
        }
        return index;
    }
}
