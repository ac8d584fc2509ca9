using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Floe.Parquet.Writing;

namespace Floe.Parquet.Encodings;

/// <summary>
/// Parquet's DELTA_BINARY_PACKED encoding of INT32/INT64 values: a header (block size, miniblocks per block, value
/// count, first value), then blocks of 128 deltas, each with its minimum delta and four miniblocks of 32 deltas
/// bit-packed at their own width. Sorted or slowly changing columns (timestamps, counts, entity ids in order)
/// take a few bits a value. Arithmetic wraps, as the format specifies: INT32 deltas wrap at 32 bits (so a miniblock
/// never needs more than 32 bits), INT64 deltas at 64.
/// </summary>
internal static class DeltaBinaryPacked
{
    private const int BlockSize = 128;
    private const int MiniBlocks = 4;
    private const int MiniBlockSize = BlockSize / MiniBlocks;

    /// <summary>Appends the encoding of <paramref name="values"/> to <paramref name="destination"/>.</summary>
    public static void Encode(ReadOnlySpan<long> values, GrowableBuffer destination) => EncodeCore(values, destination, wrap32: false);

    /// <summary>Appends the encoding of INT32 <paramref name="values"/> to <paramref name="destination"/>.</summary>
    public static void Encode(ReadOnlySpan<int> values, GrowableBuffer destination)
    {
        // Widened in blocks so that the core sees one layout; deltas are then wrapped back to 32 bits.
        Span<long> wide = stackalloc long[BlockSize + 1];
        if (values.Length <= wide.Length)
        {
            for (var i = 0; i < values.Length; i++) wide[i] = values[i];
            EncodeCore(wide[..values.Length], destination, wrap32: true);
            return;
        }
        var all = System.Buffers.ArrayPool<long>.Shared.Rent(values.Length);
        try
        {
            for (var i = 0; i < values.Length; i++) all[i] = values[i];
            EncodeCore(all.AsSpan(0, values.Length), destination, wrap32: true);
        }
        finally
        {
            System.Buffers.ArrayPool<long>.Shared.Return(all);
        }
    }

    private static void EncodeCore(ReadOnlySpan<long> values, GrowableBuffer destination, bool wrap32)
    {
        WriteUleb(destination, BlockSize);
        WriteUleb(destination, MiniBlocks);
        WriteUleb(destination, (ulong)values.Length);
        WriteUleb(destination, ZigZag(values.IsEmpty ? 0 : values[0]));
        Span<long> deltas = stackalloc long[BlockSize];
        Span<ulong> packed = stackalloc ulong[BlockSize];
        Span<byte> widths = stackalloc byte[MiniBlocks];
        for (var start = 1; start < values.Length; start += BlockSize)
        {
            var n = Math.Min(BlockSize, values.Length - start);
            var used = (n + MiniBlockSize - 1) / MiniBlockSize;
            widths.Clear();
            if (n == BlockSize && Vector256.IsHardwareAccelerated)
            {
                var min = FullBlock(values.Slice(start - 1, BlockSize + 1), deltas, packed, widths, wrap32);
                WriteUleb(destination, ZigZag(min));
            }
            else
            {
                var min = long.MaxValue;
                for (var i = 0; i < n; i++)
                {
                    var d = unchecked(values[start + i] - values[start + i - 1]);
                    if (wrap32) d = (int)d;
                    deltas[i] = d;
                    if (d < min) min = d;
                }
                WriteUleb(destination, ZigZag(min));
                for (var i = 0; i < n; i++)
                {
                    var r = unchecked((ulong)(deltas[i] - min));
                    packed[i] = wrap32 ? (uint)r : r;
                }
                // Padding slots of the last miniblock hold 0: they cost nothing at any width.
                packed[n..].Clear();
                for (var m = 0; m < used; m++)
                {
                    ulong or = 0;
                    foreach (var v in packed.Slice(m * MiniBlockSize, MiniBlockSize)) or |= v;
                    widths[m] = (byte)(64 - BitOperations.LeadingZeroCount(or));
                }
            }
            // Miniblocks past the last value keep width 0 and no body.
            destination.Append(widths);
            for (var m = 0; m < used; m++)
            {
                if (widths[m] != 0) Pack32(packed.Slice(m * MiniBlockSize, MiniBlockSize), widths[m], destination.Reserve(widths[m] * 4));
            }
        }
    }

    /// <summary>
    /// A whole block of 128 deltas four lanes at a time (the scalar loops were most of the writer's own time on the
    /// feature output's five delta-encoded columns): the deltas of <paramref name="window"/> (the block's values and the
    /// one before them) and their minimum, then each delta less the minimum into <paramref name="packed"/> and each
    /// miniblock's bit width into <paramref name="widths"/>. Returns the minimum delta. The same numbers as the scalar
    /// loops, so the same bytes.
    /// </summary>
    private static long FullBlock(ReadOnlySpan<long> window, Span<long> deltas, Span<ulong> packed, Span<byte> widths, bool wrap32)
    {
        ref var v = ref MemoryMarshal.GetReference(window);
        ref var d = ref MemoryMarshal.GetReference(deltas);
        var lanes = Vector256<long>.Count;
        var min = Vector256.Create(long.MaxValue);
        for (var i = 0; i < BlockSize; i += lanes)
        {
            var delta = Vector256.LoadUnsafe(ref v, (nuint)(i + 1)) - Vector256.LoadUnsafe(ref v, (nuint)i);
            // INT32 deltas wrap at 32 bits: sign-extend the low half.
            if (wrap32) delta = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(delta, 32), 32);
            delta.StoreUnsafe(ref d, (nuint)i);
            min = Vector256.Min(min, delta);
        }
        var m0 = Math.Min(Math.Min(min[0], min[1]), Math.Min(min[2], min[3]));
        var mins = Vector256.Create(m0);
        var low = Vector256.Create(wrap32 ? 0xFFFF_FFFFUL : ulong.MaxValue);
        ref var p = ref MemoryMarshal.GetReference(packed);
        for (var m = 0; m < MiniBlocks; m++)
        {
            var or = Vector256<ulong>.Zero;
            for (var i = m * MiniBlockSize; i < (m + 1) * MiniBlockSize; i += lanes)
            {
                var r = (Vector256.LoadUnsafe(ref d, (nuint)i) - mins).AsUInt64() & low;
                r.StoreUnsafe(ref p, (nuint)i);
                or |= r;
            }
            var all = or[0] | or[1] | or[2] | or[3];
            widths[m] = (byte)(64 - BitOperations.LeadingZeroCount(all));
        }
        return m0;
    }

    /// <summary>Packs 32 values of <paramref name="width"/> bits, least significant bit first, into width × 4 bytes.</summary>
    /// <remarks>
    /// Values narrow enough go through the accumulator 8, 4 or 2 at a time, joined first into one chunk of at most 64
    /// bits: the accumulator's spill test (a branch that mispredicts at most widths) and its bookkeeping ran once a value,
    /// ~10 instructions each (callgrind, 1M-event feature job: Pack32 was 1.5% of the job's instructions). The chunks are
    /// the same bits in the same order, so the bytes are too.
    /// </remarks>
    private static void Pack32(ReadOnlySpan<ulong> values, int width, Span<byte> output)
    {
        if (values.Length < MiniBlockSize) throw new ArgumentException("a miniblock holds 32 values", nameof(values));
        ref var v = ref MemoryMarshal.GetReference(values);
        var packer = new ChunkPacker(output);
        if (width <= 8)
        {
            for (var i = 0; i < MiniBlockSize; i += 8)
            {
                var chunk = Unsafe.Add(ref v, i) | Unsafe.Add(ref v, i + 1) << width | Unsafe.Add(ref v, i + 2) << (2 * width)
                    | Unsafe.Add(ref v, i + 3) << (3 * width) | Unsafe.Add(ref v, i + 4) << (4 * width)
                    | Unsafe.Add(ref v, i + 5) << (5 * width) | Unsafe.Add(ref v, i + 6) << (6 * width)
                    | Unsafe.Add(ref v, i + 7) << (7 * width);
                packer.Add(chunk, 8 * width);
            }
        }
        else if (width <= 16)
        {
            for (var i = 0; i < MiniBlockSize; i += 4)
            {
                var chunk = Unsafe.Add(ref v, i) | Unsafe.Add(ref v, i + 1) << width | Unsafe.Add(ref v, i + 2) << (2 * width)
                    | Unsafe.Add(ref v, i + 3) << (3 * width);
                packer.Add(chunk, 4 * width);
            }
        }
        else if (width <= 32)
        {
            for (var i = 0; i < MiniBlockSize; i += 2) packer.Add(Unsafe.Add(ref v, i) | Unsafe.Add(ref v, i + 1) << width, 2 * width);
        }
        else
        {
            for (var i = 0; i < MiniBlockSize; i++) packer.Add(Unsafe.Add(ref v, i), width);
        }
        packer.Finish();
    }

    /// <summary>Writes chunks of up to 64 bits, least significant bit first, through a 64-bit accumulator.</summary>
    private ref struct ChunkPacker
    {
        private readonly Span<byte> _output;
        private ulong _acc;
        private int _bits;
        private int _o;

        public ChunkPacker(Span<byte> output) => _output = output;

        /// <summary>Appends the low <paramref name="count"/> bits of <paramref name="chunk"/> (1 to 64; the bits above are 0).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ulong chunk, int count)
        {
            _acc |= chunk << _bits;
            var total = _bits + count;
            if (total >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(_output.Slice(_o, 8), _acc);
                _o += 8;
                // The chunk's bits that did not fit: chunk >> (64 - bits), none when bits was 0 (a shift by 64 would keep all).
                _acc = (chunk >> 1) >> (63 - _bits);
                _bits = total - 64;
            }
            else
            {
                _bits = total;
            }
        }

        /// <summary>Writes what is left: 32 × width bits end on a 32-bit boundary, so 0 or 4 bytes.</summary>
        public readonly void Finish()
        {
            if (_bits > 0) BinaryPrimitives.WriteUInt32LittleEndian(_output.Slice(_o, 4), (uint)_acc);
        }
    }

    /// <summary>
    /// Decodes the first <paramref name="output"/>.Length values of an encoded run starting at <paramref name="data"/>;
    /// returns the bytes read.
    /// </summary>
    /// <exception cref="InvalidDataException">The header is malformed, declares fewer values than wanted, or the data is cut short.</exception>
    public static int Decode(ReadOnlySpan<byte> data, Span<long> output)
    {
        var p = 0;
        var blockSize = ReadUleb(data, ref p);
        var miniBlocks = ReadUleb(data, ref p);
        var total = ReadUleb(data, ref p);
        var first = UnZigZag(ReadUleb(data, ref p));
        if (blockSize == 0 || blockSize % 128 != 0 || blockSize > 1 << 16 || miniBlocks == 0 || blockSize % miniBlocks != 0 || (blockSize / miniBlocks) % 32 != 0)
        {
            throw new InvalidDataException($"DELTA_BINARY_PACKED header: block size {blockSize} with {miniBlocks} miniblocks is not valid");
        }
        if (total < (ulong)output.Length) throw new InvalidDataException($"DELTA_BINARY_PACKED run holds {total} values, the page needs {output.Length}");
        if (output.IsEmpty) return p;
        var miniSize = (int)(blockSize / miniBlocks);
        output[0] = first;
        var previous = first;
        var next = 1;
        Span<byte> widths = stackalloc byte[(int)miniBlocks];
        Span<byte> scratch = stackalloc byte[64 * 8 + 16];
        while (next < output.Length)
        {
            var minDelta = UnZigZag(ReadUleb(data, ref p));
            if (p + (int)miniBlocks > data.Length) throw Truncated();
            data.Slice(p, (int)miniBlocks).CopyTo(widths);
            p += (int)miniBlocks;
            for (var m = 0; m < (int)miniBlocks && next < output.Length; m++)
            {
                int width = widths[m];
                if (width > 64) throw new InvalidDataException($"DELTA_BINARY_PACKED miniblock width {width} exceeds 64 bits");
                var bytes = miniSize * width / 8;
                if (p + bytes > data.Length) throw Truncated();
                var take = Math.Min(miniSize, output.Length - next);
                for (var start = 0; start < take; start += 32)
                {
                    // 32 values at a time, through a zero-padded copy so reads past the run's end stay in bounds.
                    var slice = data.Slice(p + start * width / 8, 4 * width);
                    slice.CopyTo(scratch);
                    scratch.Slice(slice.Length, 16).Clear();
                    var count = Math.Min(32, take - start);
                    for (var i = 0; i < count; i++)
                    {
                        var bit = i * width;
                        var word = BinaryPrimitives.ReadUInt64LittleEndian(scratch.Slice(bit >> 3, 8));
                        var shift = bit & 7;
                        var v = word >> shift;
                        if (shift + width > 64) v |= (ulong)scratch[(bit >> 3) + 8] << (64 - shift);
                        if (width < 64) v &= (1UL << width) - 1;
                        previous = unchecked(previous + minDelta + (long)v);
                        output[next++] = previous;
                    }
                }
                p += bytes;
            }
        }
        return p;
    }

    private static InvalidDataException Truncated() => new("DELTA_BINARY_PACKED run is cut short");

    private static ulong ZigZag(long v) => unchecked((ulong)((v << 1) ^ (v >> 63)));

    private static long UnZigZag(ulong v) => unchecked((long)(v >> 1) ^ -(long)(v & 1));

    private static void WriteUleb(GrowableBuffer destination, ulong value)
    {
        var span = destination.Reserve(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        destination.Length -= 10 - n;
    }

    private static ulong ReadUleb(ReadOnlySpan<byte> data, ref int p)
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (p >= data.Length) throw Truncated();
            var b = data[p++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new InvalidDataException("DELTA_BINARY_PACKED header: varint longer than 10 bytes");
    }
}
