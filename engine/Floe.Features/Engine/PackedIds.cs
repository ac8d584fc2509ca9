using System.Numerics.Tensors;

namespace Floe.Features.Engine;

/// <summary>
/// Filed events' entity ids, each held as its distance from the smallest in 32 bits, or, packed narrow, in as few bits
/// as the largest distance needs (<see cref="BitPacking"/>): 17 bits for 100k entities.
/// </summary>
internal sealed class PackedIds
{
    private readonly ulong[] _words;
    private readonly int _width;
    private readonly int _base;

    private PackedIds(ulong[] words, int width, int @base, int length)
    {
        _words = words;
        _width = width;
        _base = @base;
        Length = length;
    }

    /// <summary>Ids held.</summary>
    public int Length { get; }

    /// <summary>Bytes held.</summary>
    public long Bytes => _words.Length * 8L;

    /// <summary>Bits an id is held in.</summary>
    public int BitsPerId => _width;

    /// <summary>
    /// Packs <paramref name="ids"/>; <paramref name="narrow"/>: in the bits their range needs rather than 32, on the
    /// pinned object heap (why: <see cref="PackedLongs.Pack(long[], int, int, bool, bool)"/>).
    /// </summary>
    public static PackedIds Pack(ReadOnlySpan<int> ids, bool narrow = true)
    {
        int min = ids.IsEmpty ? 0 : TensorPrimitives.Min(ids);
        int max = ids.IsEmpty ? 0 : TensorPrimitives.Max(ids);
        int width = narrow ? BitPacking.Width((ulong)((long)max - min)) : 32;
        var words = BitPacking.Words(ids.Length, width, narrow);
        if (width == 32)
        {
            // The distances' bits are those of the wrapped Int32 differences.
            TensorPrimitives.Subtract(ids, min, System.Runtime.InteropServices.MemoryMarshal.Cast<uint, int>(BitPacking.Halves(words))[..ids.Length]);
        }
        else
        {
            var writer = new BitPacking.Writer(words, width);
            foreach (int id in ids) { writer.Put((ulong)((long)id - min)); }
            writer.Flush();
        }
        return new PackedIds(words, width, min, ids.Length);
    }

    /// <summary>
    /// Adds one to <paramref name="counts"/>[id] for each id held, read straight from the packed bits: an entity-room
    /// plan needs each day's count per entity, not the ids (unpacking a whole run's ids first wrote 40 MB on the
    /// 10M-event bench).
    /// </summary>
    public void CountInto(Span<int> counts)
    {
        var from = counts[_base..];
        if (_width == 32)
        {
            foreach (uint distance in BitPacking.Halves(_words)[..Length]) { from[(int)distance]++; }
            return;
        }
        ref byte bytes = ref BitPacking.Bytes(_words);
        int width = _width;
        ulong mask = BitPacking.Mask(width);
        long bit = 0;
        for (int i = 0; i < Length; i++, bit += width) { from[(int)BitPacking.Read(ref bytes, bit, mask)]++; }
    }

    /// <summary>Writes the ids back into <paramref name="destination"/>.</summary>
    public void UnpackTo(Span<int> destination)
    {
        destination = destination[..Length];
        if (_width == 32)
        {
            var halves = BitPacking.Halves(_words)[..destination.Length];
            for (int i = 0; i < halves.Length; i++) { destination[i] = _base + (int)halves[i]; }
            return;
        }
        ref byte bytes = ref BitPacking.Bytes(_words);
        int width = _width;
        ulong mask = BitPacking.Mask(width);
        long bit = 0;
        int b = _base;
        for (int i = 0; i < destination.Length; i++, bit += width) { destination[i] = b + (int)BitPacking.Read(ref bytes, bit, mask); }
    }
}
