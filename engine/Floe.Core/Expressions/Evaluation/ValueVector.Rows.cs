using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>Row selection and concatenation, every kind and lists alike, one array a column (never one object a row).</summary>
public sealed partial class ValueVector
{
    /// <summary>Rows <paramref name="rows"/> (each below <see cref="Length"/>, any order, repeats allowed) as a new vector.</summary>
    /// <exception cref="IndexOutOfRangeException">A row is outside the vector.</exception>
    public ValueVector Take(ReadOnlySpan<int> rows)
    {
        int n = rows.Length;
        ulong[]? valid = Valid is null ? null : TakeBits(Valid, rows);
        if (ListOffsets is not null)
        {
            var offsets = new int[n + 1];
            for (int i = 0; i < n; i++) { offsets[i + 1] = checked(offsets[i] + (ListOffsets[rows[i] + 1] - ListOffsets[rows[i]])); }
            var elements = new int[offsets[n]];
            for (int i = 0, at = 0; i < n; i++)
            {
                for (int k = ListOffsets[rows[i]]; k < ListOffsets[rows[i] + 1]; k++) { elements[at++] = k; }
            }
            return FromList(Kind, offsets, ListValues!.Take(elements), valid);
        }
        if (Longs is not null)
        {
            var v = GC.AllocateUninitializedArray<long>(n);
            for (int i = 0; i < n; i++) { v[i] = Longs[rows[i]]; }
            return FromLongs(Kind, v, valid, n);
        }
        if (Doubles is not null)
        {
            var v = GC.AllocateUninitializedArray<double>(n);
            for (int i = 0; i < n; i++) { v[i] = Doubles[rows[i]]; }
            return FromDoubles(v, valid, n);
        }
        if (Bits is not null) { return FromBits(TakeBits(Bits, rows), valid, n); }
        var starts = Offsets!;
        var taken = new int[n + 1];
        for (int i = 0; i < n; i++) { taken[i + 1] = checked(taken[i] + (starts[rows[i] + 1] - starts[rows[i]])); }
        var bytes = GC.AllocateUninitializedArray<byte>(taken[n]);
        for (int i = 0; i < n; i++) { GetUtf8(rows[i]).CopyTo(bytes.AsSpan(taken[i])); }
        return FromUtf8(bytes, taken, valid, n);
    }

    // Bits `rows` of `source`, gathered into a new bitmap.
    private static ulong[] TakeBits(ulong[] source, ReadOnlySpan<int> rows)
    {
        var r = new ulong[Bitmap.WordCount(rows.Length)];
        for (int i = 0; i < rows.Length; i++)
        {
            int k = rows[i];
            r[i >> 6] |= ((source[k >> 6] >> (k & 63)) & 1UL) << (i & 63);
        }
        return r;
    }

    /// <summary>Columns of one kind (not lists) one after another, as a new vector (the one part itself when there is one).</summary>
    /// <exception cref="ArgumentException">There are no parts.</exception>
    public static ValueVector Concat(IReadOnlyList<ValueVector> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) { throw new ArgumentException("nothing to concatenate", nameof(parts)); }
        if (parts.Count == 1) { return parts[0]; }
        int n = 0;
        bool anyInvalid = false;
        foreach (var p in parts) { n = checked(n + p.Length); anyInvalid |= p.Valid is not null; }
        var first = parts[0];
        ulong[]? valid = null;
        if (anyInvalid)
        {
            valid = new ulong[Bitmap.WordCount(n)];
            int at = 0;
            foreach (var p in parts)
            {
                AppendBits(valid, at, p.Valid ?? Bitmap.AllSet(p.Length), p.Length);
                at += p.Length;
            }
        }
        if (first.Doubles is not null)
        {
            var d = GC.AllocateUninitializedArray<double>(n);
            int at = 0;
            foreach (var p in parts) { p.Doubles.AsSpan(0, p.Length).CopyTo(d.AsSpan(at)); at += p.Length; }
            return FromDoubles(d, valid, n);
        }
        if (first.Longs is not null)
        {
            var l = GC.AllocateUninitializedArray<long>(n);
            int at = 0;
            foreach (var p in parts) { p.Longs.AsSpan(0, p.Length).CopyTo(l.AsSpan(at)); at += p.Length; }
            return FromLongs(first.Kind, l, valid, n);
        }
        if (first.Bits is not null)
        {
            var b = new ulong[Bitmap.WordCount(n)];
            int at = 0;
            foreach (var p in parts) { AppendBits(b, at, p.Bits, p.Length); at += p.Length; }
            return FromBits(b, valid, n);
        }
        long total = 0;
        foreach (var p in parts) { total += p.Offsets![p.Length] - p.Offsets[0]; }
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)total));
        var offsets = new int[n + 1];
        int row = 0, pos = 0;
        foreach (var p in parts)
        {
            int from = p.Offsets![0], to = p.Offsets[p.Length];
            p.Utf8.AsSpan(from, to - from).CopyTo(bytes.AsSpan(pos));
            for (int i = 1; i <= p.Length; i++) { offsets[row + i] = p.Offsets[i] - from + pos; }
            row += p.Length;
            pos += to - from;
        }
        return FromUtf8(bytes, offsets, valid, n);
    }

    // Copies `length` bits of `source` to bit `at` of `destination`, whose bits from there on are clear.
    private static void AppendBits(ulong[] destination, int at, ReadOnlySpan<ulong> source, int length)
    {
        int words = Bitmap.WordCount(length);
        if ((at & 63) == 0)
        {
            source[..words].CopyTo(destination.AsSpan(at >> 6));
            // Bits past this part's length belong to the next part.
            if ((length & 63) != 0) { destination[(at >> 6) + words - 1] &= (1UL << (length & 63)) - 1; }
            return;
        }
        int shift = at & 63;
        for (int w = 0; w < words; w++)
        {
            ulong word = source[w];
            if (w == words - 1 && (length & 63) != 0) { word &= (1UL << (length & 63)) - 1; }
            int d = (at >> 6) + w;
            destination[d] |= word << shift;
            if (d + 1 < destination.Length) { destination[d + 1] |= word >> (64 - shift); }
        }
    }
}
