using System.Runtime.InteropServices;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Parquet.Meta;

namespace Floe.Parquet.Reading;

internal sealed partial class FlatColumnReader
{
    // Dictionary-predicate mode: the predicate runs once per dictionary entry (plus one null entry) and rows only
    // look their index up; no value is gathered.
    private Func<IArrowArray, bool[]>? _predicate;
    private bool[]? _matches;
    private bool[]? _keep;
    private ulong[]? _keepBits;
    private byte[]? _matchBytes;
    private int _kept;

    [ThreadStatic]
    private static ulong[]? t_pageBits;

    /// <summary>
    /// Evaluates a one-column predicate on a chunk whose data pages are all dictionary-encoded: <paramref name="predicate"/>
    /// gets the dictionary as an Arrow array with one extra null entry last and returns whether each entry matches;
    /// row i of the chunk is then selected in <paramref name="keep"/> when its entry matched. Returns the number of
    /// selected rows, or -1 when a page is not dictionary-encoded (or the column is widened), so the caller decodes.
    /// </summary>
    public static int TryFilterDictionary(ReadOnlySpan<byte> chunk, FileSchemaNode leaf, ColumnMetaData meta, PrimitiveType target, int rows, Func<IArrowArray, bool[]> predicate, bool[] keep)
    {
        var reader = new FlatColumnReader(leaf, meta.Codec, target, rows, System.Array.Empty<int>()) { _predicate = predicate, _keep = keep };
        if (!reader._strings && reader._physicalWidth != reader._outputWidth) return -1;
        return reader.Decode(chunk) ? reader._kept : -1;
    }

    /// <summary>
    /// Like <see cref="TryFilterDictionary"/>, but marks the selected rows in the bitmap <paramref name="selection"/>
    /// (bit i of word i / 64 for row i; the chunk's words are overwritten): indices are mapped to their entry's
    /// match bit as they are unpacked, so no row gets an int index or a bool.
    /// </summary>
    public static int TryFilterDictionaryBits(ReadOnlySpan<byte> chunk, FileSchemaNode leaf, ColumnMetaData meta, PrimitiveType target, int rows, Func<IArrowArray, bool[]> predicate, ulong[] selection)
    {
        var reader = new FlatColumnReader(leaf, meta.Codec, target, rows, System.Array.Empty<int>()) { _predicate = predicate, _keepBits = selection };
        if (!reader._strings && reader._physicalWidth != reader._outputWidth) return -1;
        selection.AsSpan(0, (rows + 63) >> 6).Clear();
        return reader.Decode(chunk) ? reader._kept : -1;
    }

    private bool DecodeFilter(ReadOnlySpan<byte> levels, ReadOnlySpan<byte> data, int count, Encoding encoding)
    {
        if (!IsDictionary(encoding)) return false;
        _matches ??= _predicate!(DictionaryArray());
        if (_matches.Length != _dictCount + 1) throw new InvalidOperationException("the dictionary predicate returned the wrong number of entries");
        if (_keepBits is not null)
        {
            DecodeFilterBits(levels, data, count);
            return true;
        }
        var nonNull = DecodeDefinitions(levels, count, out var defs);
        if (_dictCount == 0 && nonNull > 0) throw new InvalidDataException($"column '{_leaf.Name}': dictionary-encoded page without a dictionary");
        if (_indices.Length < nonNull) _indices = t_indices = GC.AllocateUninitializedArray<int>(nonNull);
        var indices = _indices.AsSpan(0, nonNull);
        if (nonNull > 0) RleHybrid.Decode(data[1..], data[0], indices);
        var matches = _matches;
        var keep = _keep!.AsSpan(_chunkRow, count);
        var kept = 0;
        var next = 0;
        for (var i = 0; i < keep.Length; i++)
        {
            bool match;
            if (!defs.IsEmpty && defs[i] != 1)
            {
                match = matches[_dictCount];
            }
            else
            {
                var index = indices[next++];
                if ((uint)index >= (uint)_dictCount) throw new InvalidDataException($"column '{_leaf.Name}': dictionary index {index} out of range");
                match = matches[index];
            }
            keep[i] = match;
            kept += match ? 1 : 0;
        }
        _kept += kept;
        return true;
    }

    private void DecodeFilterBits(ReadOnlySpan<byte> levels, ReadOnlySpan<byte> data, int count)
    {
        if (_matchBytes is null)
        {
            _matchBytes = new byte[_dictCount];
            for (var e = 0; e < _dictCount; e++) _matchBytes[e] = _matches![e] ? (byte)1 : (byte)0;
        }
        var words = (count + 63) >> 6;
        var scratch = t_pageBits;
        if (scratch is null || scratch.Length < 2 * words + 1) scratch = t_pageBits = new ulong[2 * words + 1];
        var defBits = Span<ulong>.Empty;
        var nonNull = count;
        if (_leaf.DefinitionLevel > 0)
        {
            defBits = scratch.AsSpan(0, words);
            RleHybrid.DecodeBits(levels, count, defBits);
            nonNull = 0;
            foreach (var w in defBits) nonNull += System.Numerics.BitOperations.PopCount(w);
            if (nonNull == count) defBits = Span<ulong>.Empty;
        }
        if (_dictCount == 0 && nonNull > 0) throw new InvalidDataException($"column '{_leaf.Name}': dictionary-encoded page without a dictionary");
        // One spare word so a deposit may read a word past the last value's.
        var valueBits = scratch.AsSpan(words, words + 1);
        valueBits.Clear();
        if (nonNull > 0) RleHybrid.DecodeMatches(data[1..], data[0], nonNull, _matchBytes, valueBits);
        Span<ulong> pageBits;
        if (defBits.IsEmpty)
        {
            pageBits = valueBits[..words];
        }
        else
        {
            // The page stores its non-null values dense: spread their match bits over the rows that are defined, and
            // give the null rows the null entry's verdict.
            var nullMatches = _matches![_dictCount];
            var from = 0;
            for (var w = 0; w < words; w++)
            {
                var defined = defBits[w];
                var n = System.Numerics.BitOperations.PopCount(defined);
                var v = ReadBits(valueBits, from, n);
                from += n;
                var spread = Deposit(v, defined);
                if (nullMatches)
                {
                    var live = w == words - 1 && (count & 63) != 0 ? (1UL << (count & 63)) - 1 : ulong.MaxValue;
                    spread |= ~defined & live;
                }
                defBits[w] = spread;
            }
            pageBits = defBits;
        }
        var kept = 0;
        var target = _keepBits!.AsSpan();
        var shift = _chunkRow & 63;
        var at = _chunkRow >> 6;
        for (var w = 0; w < words; w++)
        {
            var x = pageBits[w];
            kept += System.Numerics.BitOperations.PopCount(x);
            if (x == 0) continue;
            target[at + w] |= x << shift;
            if (shift != 0 && at + w + 1 < target.Length) target[at + w + 1] |= x >> (64 - shift);
        }
        _kept += kept;
    }

    /// <summary>The <paramref name="n"/> (≤ 64) bits of <paramref name="bits"/> from bit <paramref name="from"/> on.</summary>
    private static ulong ReadBits(ReadOnlySpan<ulong> bits, int from, int n)
    {
        if (n == 0) return 0;
        var word = from >> 6;
        var shift = from & 63;
        var x = bits[word] >> shift;
        if (shift != 0 && shift + n > 64) x |= bits[word + 1] << (64 - shift);
        return n == 64 ? x : x & ((1UL << n) - 1);
    }

    /// <summary>The low bits of <paramref name="value"/> placed at the set bits of <paramref name="mask"/>, in order.</summary>
    private static ulong Deposit(ulong value, ulong mask)
    {
        if (System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported) return System.Runtime.Intrinsics.X86.Bmi2.X64.ParallelBitDeposit(value, mask);
        ulong result = 0;
        for (var bit = 1UL; mask != 0; bit <<= 1)
        {
            var lowest = mask & (0 - mask);
            if ((value & bit) != 0) result |= lowest;
            mask &= mask - 1;
        }
        return result;
    }

    /// <summary>The dictionary as an Arrow array of the target type, with one null entry appended.</summary>
    private IArrowArray DictionaryArray()
    {
        var n = _dictCount + 1;
        var validity = new byte[(n + 7) >> 3];
        Writing.Bits.SetOnes(validity, 0, _dictCount);
        var arrowType = ArrowSchemas.ToArrowPrimitive(_target);
        ArrowBuffer[] buffers;
        if (_strings)
        {
            var offsets = new int[n + 1];
            if (_dictCount > 0) _dictOffsets.AsSpan(0, _dictCount + 1).CopyTo(offsets);
            offsets[n] = offsets[n - 1];
            buffers = new[] { new ArrowBuffer(validity), new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(_dictBytes ?? System.Array.Empty<byte>()) };
        }
        else
        {
            var values = new byte[n * _outputWidth];
            _dictFixed?.AsSpan(0, _dictCount * _physicalWidth).CopyTo(values);
            buffers = new[] { new ArrowBuffer(validity), new ArrowBuffer(values) };
        }
        return ArrowArrayFactory.BuildArray(new ArrayData(arrowType, n, 1, 0, buffers));
    }
}
