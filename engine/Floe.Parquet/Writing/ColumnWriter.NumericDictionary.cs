using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Floe.Parquet.Writing;

/// <summary>
/// Dictionary encoding of fixed-width columns (INT32, INT64, FLOAT, DOUBLE, and the dates, times, timestamps and
/// decimals stored in them). Values are keyed by their raw bits, so NaN payloads and -0.0/+0.0 stay distinct
/// entries and read back bit for bit. Append first buffers PLAIN values (statistics are taken over them), then
/// rewrites them in place as 4-byte indices; the dictionary page holds the distinct values PLAIN.
/// <para>High-cardinality columns (random doubles, microsecond timestamps) must stay cheap: once
/// <see cref="SampleValues"/> values of a row group are in, the dictionary is dropped for the rest of the file
/// unless it is on course to be smaller than PLAIN. A row group too small to reach the sample is judged when it is
/// encoded, and falls back to PLAIN for that row group alone (a tiny first row group says little about the next).</para>
/// </summary>
internal sealed partial class ColumnWriter
{
    /// <summary>Values of a row group seen before judging whether the dictionary pays (~0.1 ms of hashing).</summary>
    private const int SampleValues = 32 * 1024;

    /// <summary>Values hashed between checks of the dictionary's size and worth.</summary>
    private const int BlockValues = 4096;

    private const ulong FibonacciMultiplier = 0x9E3779B97F4A7C15UL;

    // Open addressing over the raw bits, key and index side by side so a probe touches one cache line.
    private Slot[] _slots = System.Array.Empty<Slot>();
    private int _slotShift;
    private long _dictionaryValues;
    // EncodeBlock's scratch: a block's run keys and their dictionary indices.
    private ulong[] _runKeys = System.Array.Empty<ulong>();
    private int[] _runIndices = System.Array.Empty<int>();
    private bool _dictionarySampled;

    private static bool IsFixedWidthDictionaryKind(ColumnKind kind) => kind is ColumnKind.Int32 or ColumnKind.Int64
        or ColumnKind.Float or ColumnKind.Double or ColumnKind.DecimalInt32 or ColumnKind.DecimalInt64;

    /// <summary>
    /// Replaces the PLAIN values buffered from byte <paramref name="start"/> on by their dictionary indices, in
    /// blocks so that a column that turns out not to pay is abandoned after its sample, not after the whole batch.
    /// </summary>
    private void EncodeFixedWidthIndices(int start)
    {
        var width = Descriptor.Width;
        var n = (_values.Length - start) / width;
        if (n == 0) return;
        if (_slots.Length == 0) RebuildSlots();
        var done = 0;
        while (done < n)
        {
            var take = Math.Min(n - done, BlockValues);
            // Indices overwrite the values they replace: index i lands at byte 4i, at or before value i's bytes,
            // which are read first, so one forward pass is safe for both widths.
            var region = _values.WrittenSpan[start..];
            var indices = MemoryMarshal.Cast<byte, int>(region).Slice(done, take);
            if (width == 4)
            {
                EncodeBlock(MemoryMarshal.Cast<byte, uint>(region).Slice(done, take), indices);
            }
            else
            {
                EncodeBlock(MemoryMarshal.Cast<byte, ulong>(region).Slice(done, take), indices);
            }
            done += take;
            _dictionaryValues += take;
            var abandon = _dictionary.Length > _options.DictionaryPageBytes;
            if (!abandon && !_dictionarySampled && _dictionaryValues >= SampleValues)
            {
                _dictionarySampled = true;
                abandon = !DictionaryPays();
            }
            if (abandon)
            {
                AbandonFixedWidthMidway(start, done, n);
                return;
            }
        }
        _values.Length = start + n * 4;
    }

    // Runs of one value (sorted or repeated columns) cost one lookup. Generic so the JIT specialises both widths. In three
    // passes, none with a branch on the data: the block's runs are numbered (each value's run number goes where its index
    // will), the runs' keys are looked up in order with the slot of the key RunsAhead runs on prefetched, and each value
    // takes its run's index. The table of a rolling maximum's ~30-50k distinct values (1-2 MB) is larger than L2, and the
    // single loop, one lookup after the other, waited on a miss for most of them (and mispredicted each run's end). The
    // runs are looked up in the same order as before, so the dictionary and the bytes are the same.
    private void EncodeBlock<T>(ReadOnlySpan<T> values, Span<int> indices)
        where T : unmanaged, IEquatable<T>
    {
        var n = values.Length;
        if (n == 0) return;
        indices = indices[..n];
        if (_runKeys.Length < n)
        {
            _runKeys = new ulong[Math.Max(n, BlockValues)];
            _runIndices = new int[_runKeys.Length];
        }
        // Unchecked refs: run numbers stay below i + 1 <= n, within both scratch arrays and the block.
        ref var source = ref MemoryMarshal.GetReference(values);
        ref var target = ref MemoryMarshal.GetReference(indices);
        ref var keys = ref MemoryMarshal.GetArrayDataReference(_runKeys);
        ref var runIndices = ref MemoryMarshal.GetArrayDataReference(_runIndices);
        // Index i overwrites value i's first bytes (or, at width 8, value i/2's), read by then.
        var previous = source;
        keys = RawBits(previous);
        target = 0;
        var run = 0;
        for (nint i = 1; i < n; i++)
        {
            var v = Unsafe.Add(ref source, i);
            run += v.Equals(previous) ? 0 : 1;
            Unsafe.Add(ref keys, run) = RawBits(v);
            Unsafe.Add(ref target, i) = run;
            previous = v;
        }
        var runs = run + 1;
        for (nint r = 0; r < runs; r++)
        {
            if (r + RunsAhead < runs) PrefetchSlot(Unsafe.Add(ref keys, r + RunsAhead));
            Unsafe.Add(ref runIndices, r) = IndexOfBits(Unsafe.Add(ref keys, r));
        }
        MapRunsToIndices(indices);
    }

    /// <summary>Replaces each run number in <paramref name="runNumbers"/> by its run's dictionary index (eight at a time by gather).</summary>
    private unsafe void MapRunsToIndices(Span<int> runNumbers)
    {
        var n = runNumbers.Length;
        ref var target = ref MemoryMarshal.GetReference(runNumbers);
        var i = 0;
        fixed (int* map = _runIndices)
        {
            if (Avx2.IsSupported)
            {
                for (; i + Vector256<int>.Count <= n; i += Vector256<int>.Count)
                {
                    Avx2.GatherVector256(map, Vector256.LoadUnsafe(ref target, (nuint)i), 4).StoreUnsafe(ref target, (nuint)i);
                }
            }
            for (; i < n; i++) Unsafe.Add(ref target, i) = map[Unsafe.Add(ref target, i)];
        }
    }

    /// <summary>Runs ahead of the one being looked up whose home slots are prefetched.</summary>
    private const int RunsAhead = 16;

    /// <summary>Asks for the cache line of <paramref name="key"/>'s home slot (a hint: no fault, no effect on results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void PrefetchSlot(ulong key)
    {
        if (!Sse.IsSupported) return;
        var slot = (int)((key * FibonacciMultiplier) >> _slotShift);
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), slot)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RawBits<T>(T value)
        where T : unmanaged => typeof(T) == typeof(uint) ? System.Runtime.CompilerServices.Unsafe.As<T, uint>(ref value) : System.Runtime.CompilerServices.Unsafe.As<T, ulong>(ref value);

    /// <summary>
    /// Stops dictionary encoding for the file while the values appended from byte <paramref name="start"/> are
    /// half converted: the first <paramref name="done"/> of <paramref name="n"/> are indices, the rest still PLAIN.
    /// </summary>
    private void AbandonFixedWidthMidway(int start, int done, int n)
    {
        var width = Descriptor.Width;
        var indexCount = start / 4 + done;
        var tailFrom = start + done * width;
        var tailBytes = (n - done) * width;
        var total = indexCount * width + tailBytes;
        // Restored values take more room than their indices: move the untouched PLAIN tail up first.
        if (total > _values.Length) _values.Ensure(total - _values.Length);
        _values.Length = Math.Max(_values.Length, total);
        var span = _values.WrittenSpan;
        span.Slice(tailFrom, tailBytes).CopyTo(span.Slice(indexCount * width, tailBytes));
        RestoreFixedWidthValues(indexCount);
        _values.Length = total;
        _dictionaryMode = false;
        KeepDictionaryForSealedPages();
        ClearDictionary();
        _dictionaryAbandoned = true;
        ReleaseSlots();
    }

    /// <summary>
    /// Whether dictionary + bit-packed indices come out smaller than PLAIN for the values seen so far. Both then go
    /// through the same page codec; PLAIN random values barely compress, nor do packed indices, so raw sizes decide.
    /// </summary>
    private bool DictionaryPays()
    {
        var width = Descriptor.Width;
        var bitWidth = IndexBitWidth(_dictionaryCount);
        var encoded = (long)_dictionaryCount * width + ((_dictionaryValues * bitWidth) >> 3);
        return encoded < _dictionaryValues * width;
    }

    private static int IndexBitWidth(int count) =>
        Math.Max(1, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Max(0, count - 1)));

    private int IndexOfBits(ulong key)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var slot = (int)((key * FibonacciMultiplier) >> _slotShift);
        while (true)
        {
            ref var entry = ref slots[slot];
            if (entry.IndexPlusOne == 0) return Insert(slot, key);
            if (entry.Key == key) return entry.IndexPlusOne - 1;
            slot = (slot + 1) & mask;
        }
    }

    private int Insert(int slot, ulong key)
    {
        var index = _dictionaryCount++;
        _slots[slot] = new Slot(key, index + 1);
        _dictionary.AppendLittleEndian(key, Descriptor.Width);
        if (_dictionaryCount * 2 > _slots.Length) GrowSlots(_slots.Length * 2);
        return index;
    }

    private void GrowSlots(int size)
    {
        var old = _slots;
        _slots = new Slot[size];
        _slotShift = 64 - System.Numerics.BitOperations.Log2((uint)size);
        var mask = size - 1;
        foreach (var entry in old)
        {
            if (entry.IndexPlusOne == 0) continue;
            var slot = (int)((entry.Key * FibonacciMultiplier) >> _slotShift);
            while (_slots[slot].IndexPlusOne != 0) slot = (slot + 1) & mask;
            _slots[slot] = entry;
        }
    }

    /// <summary>
    /// Rewrites the first <paramref name="n"/> buffered indices as PLAIN values in place (back to front: values are
    /// wider than indices); the buffer must already hold <paramref name="n"/> values' bytes.
    /// </summary>
    private void RestoreFixedWidthValues(int n)
    {
        var width = Descriptor.Width;
        var span = _values.WrittenSpan;
        var dictionary = _dictionary.WrittenSpan;
        for (var i = n - 1; i >= 0; i--)
        {
            var index = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(i * 4, 4));
            dictionary.Slice(index * width, width).CopyTo(span.Slice(i * width, width));
        }
    }

    /// <summary>
    /// Drops the hash table and the run scratch (the column is PLAIN for good, or the writer may stay idle); the next
    /// use rebuilds it from the dictionary entries.
    /// </summary>
    private void ReleaseSlots()
    {
        _slots = System.Array.Empty<Slot>();
        _runKeys = System.Array.Empty<ulong>();
        _runIndices = System.Array.Empty<int>();
    }

    /// <summary>A hash table over the current dictionary entries (none: an empty one), half full at most.</summary>
    private void RebuildSlots()
    {
        var size = 1024;
        while (size < _dictionaryCount * 2) size *= 2;
        _slots = new Slot[size];
        _slotShift = 64 - System.Numerics.BitOperations.Log2((uint)size);
        var mask = size - 1;
        var width = Descriptor.Width;
        var entries = _dictionary.WrittenSpan;
        for (var i = 0; i < _dictionaryCount; i++)
        {
            var key = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(entries.Slice(i * 4, 4)) : BinaryPrimitives.ReadUInt64LittleEndian(entries.Slice(i * 8, 8));
            var slot = (int)((key * FibonacciMultiplier) >> _slotShift);
            while (_slots[slot].IndexPlusOne != 0) slot = (slot + 1) & mask;
            _slots[slot] = new Slot(key, i + 1);
        }
    }

    /// <summary>A hash slot: the value's raw bits and its dictionary index + 1 (0 marks an empty slot); 12 bytes, unpadded.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Slot(ulong Key, int IndexPlusOne);
}
