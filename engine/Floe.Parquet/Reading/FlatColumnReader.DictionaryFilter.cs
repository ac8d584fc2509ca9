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
    private int _kept;

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

    private bool DecodeFilter(ReadOnlySpan<byte> levels, ReadOnlySpan<byte> data, int count, Encoding encoding)
    {
        if (!IsDictionary(encoding)) return false;
        _matches ??= _predicate!(DictionaryArray());
        if (_matches.Length != _dictCount + 1) throw new InvalidOperationException("the dictionary predicate returned the wrong number of entries");
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
