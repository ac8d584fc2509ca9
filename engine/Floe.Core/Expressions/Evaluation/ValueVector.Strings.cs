using System.Globalization;
using System.Text;
using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>String columns: Arrow's UTF-8 layout, so strings cross to and from Arrow as two block copies, never one object a row.</summary>
public sealed partial class ValueVector
{
    /// <summary>String bytes (UTF-8): row i is <c>Utf8[Offsets[i]..Offsets[i + 1]]</c> (what a null row's bytes hold is not defined).</summary>
    public byte[]? Utf8 { get; private init; }

    /// <summary>String offsets into <see cref="Utf8"/>, <c>Length + 1</c> of them, non-decreasing.</summary>
    public int[]? Offsets { get; private init; }

    /// <summary>A String column over UTF-8 <paramref name="bytes"/> and <paramref name="offsets"/> (<paramref name="length"/> -1: <c>offsets.Length - 1</c>).</summary>
    /// <exception cref="ArgumentException">The offsets are fewer than <c>length + 1</c> or point past the bytes, or the validity is short.</exception>
    public static ValueVector FromUtf8(byte[] bytes, int[] offsets, ulong[]? valid, int length = -1)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(offsets);
        if (length < 0) { length = offsets.Length - 1; }
        Check(offsets.Length - 1, valid, length);
        if (offsets[length] > bytes.Length || offsets[0] < 0) { throw new ArgumentException("offsets point past the bytes", nameof(offsets)); }
        return new(ValueKind.String, length, null, null, null, valid) { Utf8 = bytes, Offsets = offsets };
    }

    /// <summary>A String column encoding <paramref name="values"/> to UTF-8; a null element is a null row.</summary>
    /// <exception cref="ArgumentException">The array is shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromStrings(string?[] values, int length = -1)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (length < 0) { length = values.Length; }
        Check(values.Length, null, length);
        var offsets = new int[length + 1];
        ulong[]? valid = null;
        long total = 0;
        for (int i = 0; i < length; i++)
        {
            if (values[i] is { } s) { total += Encoding.UTF8.GetByteCount(s); }
            else
            {
                valid ??= Bitmap.AllSet(length);
                valid[i >> 6] &= ~(1UL << (i & 63));
            }
            offsets[i + 1] = checked((int)total);
        }
        var bytes = new byte[total];
        for (int i = 0; i < length; i++)
        {
            if (values[i] is { } s) { Encoding.UTF8.GetBytes(s, bytes.AsSpan(offsets[i])); }
        }
        return FromUtf8(bytes, offsets, valid, length);
    }

    /// <summary>The UTF-8 bytes of row <paramref name="row"/> of a String column (undefined under null: check <see cref="IsValid"/>).</summary>
    public ReadOnlySpan<byte> GetUtf8(int row) => Utf8.AsSpan(Offsets![row], Offsets[row + 1] - Offsets[row]);

    /// <summary>
    /// Writes row <paramref name="row"/> (valid; not a list) as UTF-8 text: a string as its bytes, a double in its
    /// shortest round-trip form ("R"), a Bool as <c>true</c>/<c>false</c>, longs and timestamps as invariant integers.
    /// The one text form of a value, shared by <c>cast(x as string)</c> and list features written as text.
    /// </summary>
    /// <returns>False when <paramref name="destination"/> is too short (nothing usable written).</returns>
    public bool TryFormatUtf8(int row, Span<byte> destination, out int written)
    {
        switch (Kind)
        {
            case ValueKind.String:
                {
                    var bytes = GetUtf8(row);
                    written = bytes.Length;
                    return bytes.TryCopyTo(destination);
                }
            case ValueKind.Float64:
                return Doubles![row].TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
            case ValueKind.Bool:
                {
                    var text = GetBool(row) ? "true"u8 : "false"u8;
                    written = text.Length;
                    return text.TryCopyTo(destination);
                }
            default:
                return Longs![row].TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Row <paramref name="row"/> of a String column as a new string, or null under null (for tests and boundaries, not hot loops).</summary>
    public string? GetString(int row) => IsValid(row) ? Encoding.UTF8.GetString(GetUtf8(row)) : null;
}
