using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;
using Floe.Core.Errors;

namespace Floe.Parquet.Writing;

/// <summary>
/// Writes one leaf column of the current row group as it arrives: the rows of the page being filled are buffered
/// raw (validity as a bitmap, one bit a level slot for leaves inside nested fields, whose definition and repetition
/// levels are buffered too; the non-null values PLAIN encoded, or as dictionary indices), and once they reach
/// <see cref="ParquetWriterOptions.PageBytes"/> (or <see cref="ParquetWriterOptions.PageRows"/>) they are encoded
/// and compressed into a data page kept in a <see cref="PageStore"/> until the row group is written. Statistics run
/// as values arrive. <see cref="EncodeChunk"/> seals the last page and puts the dictionary page in front.
/// One instance is used by one thread at a time; different columns may run in parallel.
/// </summary>
internal sealed partial class ColumnWriter : IDisposable
{
    private readonly GrowableBuffer _values = new(1 << 16);
    private readonly GrowableBuffer _validity = new(1 << 10);
    private readonly GrowableBuffer _definitions = new(16);
    private readonly GrowableBuffer _repetitions = new(16);
    private readonly string _location;
    // Slots (rows, for a flat column) and nulls of the page being filled.
    private int _rows;
    private int _nulls;
    // Byte offset in the raw values from which PLAIN values await their statistics (DefersStatistics), -1 when none:
    // always a tail of the page, as a column leaves dictionary mode at most once a page.
    private int _statsFrom = -1;
    // A whole page's values taken straight from the batch being appended instead of _values (see AppendDirect):
    // set only for the one SealPages call that encodes them.
    private ReadOnlyMemory<byte> _direct;
    private bool _isDirect;

    /// <summary>The raw values of the page(s) being sealed: the batch's own bytes on the direct path, else the buffer.</summary>
    private ReadOnlySpan<byte> ValueSpan => _isDirect ? _direct.Span : _values.WrittenSpan;

    private int ValueLength => _isDirect ? _direct.Length : _values.Length;

    /// <param name="descriptor">The leaf column.</param>
    /// <param name="options">The file's options.</param>
    /// <param name="location">The file, for errors.</param>
    /// <param name="blocks">The file's kept page blocks (shared by its columns); null: the shared array pool.</param>
    public ColumnWriter(ColumnDescriptor descriptor, ParquetWriterOptions options, string location, PageBlocks? blocks = null)
    {
        _pages = new PageStore(blocks);
        Descriptor = descriptor;
        _location = location;
        _options = options;
        _compressor = new PageCompressor(options.Codec, options.ZstdLevel, options.ManagedZstd);
        InitDictionary();
    }

    public ColumnDescriptor Descriptor { get; }

    /// <summary>Rows (level slots, for a leaf inside a list or map) of the current row group, in pages or still raw.</summary>
    public int Rows => _chunkRows + _rows;

    /// <summary>
    /// Uncompressed bytes of the current row group: its encoded pages' raw sizes, the raw page being filled and the
    /// dictionary (the estimate row-group and file sizes are judged by).
    /// </summary>
    public long BufferedBytes => _chunkUncompressed + RawBytes + _dictionary.Length;

    /// <summary>Bytes of the page being filled, not yet encoded.</summary>
    public long RawBytes => _values.Length + _validity.Length + _definitions.Length + _repetitions.Length;

    /// <summary>Compressed bytes of the current row group's finished data pages.</summary>
    public long EncodedBytes => _pages.Length;

    /// <summary>
    /// Memory this column holds between row groups: the capacity of its buffers (the raw page, the compressed
    /// pages, the dictionary and its hash table), used or not. Memory budgets count this.
    /// </summary>
    public long RetainedBytes => RawCapacity + _dictionary.Capacity + _pages.Capacity + _dictionaryPage.Capacity
        + (_dictionaryOffsets.Length + _buckets.Length) * sizeof(int) + (long)_slots.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<Slot>()
        + (long)_runKeys.Length * sizeof(ulong) + (long)_runIndices.Length * sizeof(int);

    /// <summary>Capacity of the raw page buffers (what <see cref="SealPages"/> with release gives back).</summary>
    public long RawCapacity => (long)_values.Capacity + _validity.Capacity + _definitions.Capacity + _repetitions.Capacity;

    /// <summary>Appends rows [start, start+count) of <paramref name="array"/>, sealing pages as they fill.</summary>
    public void Append(IArrowArray array, int start, int count)
    {
        var arr = (Apache.Arrow.Array)array;
        var direct = CanAppendDirect(arr);
        while (count > 0)
        {
            // In pieces that fill the page no further than its limit, so pages come out about PageBytes each.
            var fill = RowsToFillPage();
            var take = Math.Min(count, fill);
            if (direct && _rows == 0 && take == fill)
            {
                AppendDirect(arr, start, take);
                start += take;
                count -= take;
                continue;
            }
            var nulls = AppendValidity(arr, start, take);
            AppendValues(arr, start, take, nulls > 0);
            _rows += take;
            _nulls += nulls;
            start += take;
            count -= take;
            if (PageFull) SealPages();
        }
    }

    private bool PageFull => _values.Length >= _options.PageBytes || _rows >= _options.PageRows;

    /// <summary>Rows that bring the page to its byte or row limit, at most (at least one).</summary>
    private int RowsToFillPage()
    {
        long bytesPerRow = _dictionaryMode ? 4 : Descriptor.Kind switch
        {
            ColumnKind.ByteArray => _rows > 0 ? Math.Max(1, _values.Length / _rows) : 16,
            ColumnKind.Boolean => 1,
            _ => Descriptor.Width,
        };
        var byBytes = Math.Max(1, (_options.PageBytes - _values.Length + bytesPerRow - 1) / bytesPerRow);
        var byRows = Math.Max(1, (long)_options.PageRows - _rows);
        return (int)Math.Min(int.MaxValue, Math.Min(byBytes, byRows));
    }

    /// <summary>
    /// Whether whole pages of <paramref name="arr"/> can be encoded from its own value bytes: a flat, fixed-width
    /// column (ints, longs, floats, doubles and the dates and times stored in them) not dictionary encoded, and an
    /// array without nulls, whose values are then laid out exactly as PLAIN.
    /// </summary>
    private bool CanAppendDirect(Apache.Arrow.Array arr) =>
        !_dictionaryMode && !Descriptor.Nested && arr.NullCount == 0
        && Descriptor.Kind is ColumnKind.Int32 or ColumnKind.Int64 or ColumnKind.Float or ColumnKind.Double
        && arr.Data.Buffers.Length > 1;

    /// <summary>
    /// Seals one full page of rows [start, start+count) straight from the array's value bytes: the copy into the page
    /// buffer was a tenth of the writer's time on wide numeric batches, and a page that starts empty and fills from one
    /// batch needs no buffering (pages across batches still go through it).
    /// </summary>
    private void AppendDirect(Apache.Arrow.Array arr, int start, int count)
    {
        var width = Descriptor.Width;
        AppendValidity(arr, start, count);
        _direct = arr.Data.Buffers[1].Memory.Slice((arr.Offset + start) * width, count * width);
        _isDirect = true;
        try
        {
            if (DefersStatistics) _statsFrom = 0;
            else UpdateStatistics(_direct.Span);
            _rows += count;
            SealPages();
        }
        finally
        {
            _direct = default;
            _isDirect = false;
        }
    }

    /// <summary>
    /// Appends level slots of a leaf inside a nested field: one definition (and repetition) level per slot, and the
    /// positions in <paramref name="leaf"/> of the slots that hold a value (those at the maximum definition level), in order.
    /// </summary>
    public void AppendNested(Apache.Arrow.Array leaf, ReadOnlySpan<byte> definitions, ReadOnlySpan<byte> repetitions, ReadOnlySpan<int> valueIndices)
    {
        var slots = definitions.Length;
        _definitions.Append(definitions);
        if (Descriptor.MaxRepetition > 0) _repetitions.Append(repetitions);
        var newBytes = (_rows + slots + 7) >> 3;
        _validity.Ensure(newBytes - _validity.Length);
        _validity.Length = newBytes;
        var bitmap = _validity.WrittenSpan;
        var max = (byte)Descriptor.MaxDefinition;
        for (var i = 0; i < slots; i++)
        {
            var bit = _rows + i;
            if (definitions[i] == max) bitmap[bit >> 3] |= (byte)(1 << (bit & 7));
            else bitmap[bit >> 3] &= (byte)~(1 << (bit & 7));
        }
        // Values are appended in runs of consecutive leaf positions: every slot at the maximum level is non-null.
        var r = 0;
        while (r < valueIndices.Length)
        {
            var e = r + 1;
            while (e < valueIndices.Length && valueIndices[e] == valueIndices[e - 1] + 1) e++;
            AppendValues(leaf, valueIndices[r], e - r, hasNulls: false);
            r = e;
        }
        _rows += slots;
        _nulls += slots - valueIndices.Length;
        // The shredder appends whole records, so the raw page can be cut here without splitting one.
        if (PageFull) SealPages();
    }

    private void AppendValues(Apache.Arrow.Array arr, int start, int count, bool hasNulls)
    {
        if (Descriptor.Kind == ColumnKind.ByteArray)
        {
            // Dictionary statistics are taken as entries are added; the dictionary may be abandoned mid-row-group,
            // after which later calls append PLAIN bytes.
            if (_dictionaryMode)
            {
                AppendDictionaryIndices((BinaryArray)arr, start, count, hasNulls);
                return;
            }
            var from = _values.Length;
            AppendByteArrays((BinaryArray)arr, start, count, hasNulls);
            UpdateStatistics(_values.WrittenSpan[from..]);
            return;
        }
        var before = _values.Length;
        switch (Descriptor.Kind)
        {
            case ColumnKind.Boolean:
                AppendBooleans((BooleanArray)arr, start, count, hasNulls);
                break;
            case ColumnKind.Int32:
                AppendPrimitive(((PrimitiveArray<int>)arr).Values.Slice(start, count), arr, start, hasNulls);
                break;
            case ColumnKind.Int64:
                AppendPrimitive(((PrimitiveArray<long>)arr).Values.Slice(start, count), arr, start, hasNulls);
                break;
            case ColumnKind.Float:
                AppendPrimitive(((PrimitiveArray<float>)arr).Values.Slice(start, count), arr, start, hasNulls);
                break;
            case ColumnKind.Double:
                AppendPrimitive(((PrimitiveArray<double>)arr).Values.Slice(start, count), arr, start, hasNulls);
                break;
            case ColumnKind.DecimalInt32:
            case ColumnKind.DecimalInt64:
            case ColumnKind.DecimalFixed:
                AppendDecimals((Decimal128Array)arr, start, count, hasNulls);
                break;
            case ColumnKind.Fixed:
                AppendFixed((FixedSizeBinaryArray)arr, start, count, hasNulls);
                break;
        }
        if (!_dictionaryMode && DefersStatistics)
        {
            if (_statsFrom < 0) _statsFrom = before;
        }
        else
        {
            UpdateStatistics(_values.WrittenSpan[before..]);
        }
        if (_dictionaryMode) EncodeFixedWidthIndices(before);
    }

    /// <summary>
    /// Whether PLAIN values of this column get their statistics when their page is sealed, in the pass that takes the
    /// page's bounds, rather than as they are appended: flat ints, longs, floats and doubles with a page index (min/max
    /// over every value twice was 2% of the feature job's CPU). Dictionary-encoded values keep theirs at append.
    /// </summary>
    private bool DefersStatistics => !Descriptor.Nested && WritesPageIndex && HasPageBounds(Descriptor.Kind);

    /// <summary>Checks that an Arrow array has the physical layout this column expects, and no nulls when required.</summary>
    public void Validate(IArrowArray array)
    {
        ValidateType(array);
        if (!Descriptor.Optional && array.NullCount > 0)
        {
            throw Errors.InvalidArgument($"{_location}: required column '{Descriptor.Field.Name}' (id {Descriptor.Field.Id}) holds {array.NullCount} null(s)");
        }
    }

    /// <summary>Checks that an Arrow array has the physical layout this column expects.</summary>
    public void ValidateType(IArrowArray array)
    {
        var type = array.Data.DataType;
        var ok = Descriptor.Kind switch
        {
            ColumnKind.Boolean => type is BooleanType,
            ColumnKind.Int32 => Descriptor.Type.Id == Floe.Core.Types.TypeId.Date ? type is Date32Type : type is Int32Type,
            ColumnKind.Int64 => Descriptor.Type.Id switch
            {
                Floe.Core.Types.TypeId.Long => type is Int64Type,
                Floe.Core.Types.TypeId.Time => type is Time64Type { Unit: TimeUnit.Microsecond },
                Floe.Core.Types.TypeId.Timestamp or Floe.Core.Types.TypeId.TimestampTz => type is TimestampType { Unit: TimeUnit.Microsecond },
                _ => type is TimestampType { Unit: TimeUnit.Nanosecond },
            },
            ColumnKind.Float => type is FloatType,
            ColumnKind.Double => type is DoubleType,
            ColumnKind.DecimalInt32 or ColumnKind.DecimalInt64 or ColumnKind.DecimalFixed =>
                type is Decimal128Type d && d.Scale == Descriptor.Type.Scale,
            ColumnKind.ByteArray => Descriptor.Type.Id == Floe.Core.Types.TypeId.String ? type is StringType : type is BinaryType,
            ColumnKind.Fixed => type is FixedSizeBinaryType f && f.ByteWidth == Descriptor.Width && type is not Decimal128Type,
            _ => false,
        };
        if (!ok)
        {
            throw Errors.InvalidArgument(
                $"{_location}: column '{Descriptor.Field.Name}' (id {Descriptor.Field.Id}) is Iceberg {Descriptor.Type} but the batch holds Arrow {type.Name}" +
                (type is TimestampType t ? $"({t.Unit})" : type is Time64Type t64 ? $"({t64.Unit})" : ""));
        }
    }

    /// <summary>Forgets the row group (after <see cref="WriteChunk"/>).</summary>
    /// <param name="release">Also give the raw page buffers' memory back (the writer may stay idle for long).</param>
    public void ResetRowGroup(bool release = false)
    {
        ResetPage(release);
        _chunkRows = 0;
        _chunkNulls = 0;
        ResetChunkStatistics();
        ResetDictionary();
        ResetChunkPages();
        if (release)
        {
            // The dictionary is empty now: its tables shrink back to their first size.
            ReleaseSlots();
            _dictionary.Release();
            if (_buckets.Length > 1024) _buckets = new int[1024];
            if (_dictionaryOffsets.Length > 256) _dictionaryOffsets = new int[256];
        }
    }

    /// <summary>Empties the raw page buffers once their rows are in pages.</summary>
    private void ResetPage(bool release)
    {
        _values.Length = 0;
        _validity.Length = 0;
        _definitions.Length = 0;
        _repetitions.Length = 0;
        _rows = 0;
        _nulls = 0;
        _statsFrom = -1;
        if (release)
        {
            _values.Release();
            _validity.Release();
            _definitions.Release();
            _repetitions.Release();
        }
    }

    private int AppendValidity(Apache.Arrow.Array arr, int start, int count)
    {
        var newBytes = (_rows + count + 7) >> 3;
        _validity.Ensure(newBytes - _validity.Length);
        _validity.Length = newBytes;
        var bitmap = _validity.WrittenSpan;
        if (arr.NullCount == 0 || arr.NullBitmapBuffer.IsEmpty)
        {
            Bits.SetOnes(bitmap, _rows, count);
            return 0;
        }
        var source = arr.NullBitmapBuffer.Span;
        Bits.Copy(source, arr.Offset + start, bitmap, _rows, count);
        return count - Bits.PopCount(bitmap, _rows, count);
    }

    private bool IsValid(Apache.Arrow.Array arr, int index) => Bits.Get(arr.NullBitmapBuffer.Span, arr.Offset + index);

    private void AppendPrimitive<T>(ReadOnlySpan<T> values, Apache.Arrow.Array arr, int start, bool hasNulls)
        where T : unmanaged
    {
        if (!hasNulls)
        {
            _values.Append(MemoryMarshal.AsBytes(values));
            return;
        }
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var dest = MemoryMarshal.Cast<byte, T>(_values.GetSpan(values.Length * size)[..(values.Length * size)]);
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (IsValid(arr, start + i)) dest[n++] = values[i];
        }
        _values.Length += n * size;
    }

    private void AppendBooleans(BooleanArray arr, int start, int count, bool hasNulls)
    {
        // One byte per value while buffering; pages pack them to bits, which keeps page cuts simple.
        var dest = _values.GetSpan(count);
        var bits = arr.Values;
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (hasNulls && !IsValid(arr, start + i)) continue;
            dest[n++] = Bits.Get(bits, arr.Offset + start + i) ? (byte)1 : (byte)0;
        }
        _values.Length += n;
    }

    private void AppendDecimals(Decimal128Array arr, int start, int count, bool hasNulls)
    {
        var width = Descriptor.Width;
        var dest = _values.GetSpan(count * width);
        var source = arr.ValueBuffer.Span;
        var n = 0;
        Span<byte> big = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            if (hasNulls && !IsValid(arr, start + i)) continue;
            var unscaled = BinaryPrimitives.ReadInt128LittleEndian(source.Slice((arr.Offset + start + i) * 16, 16));
            switch (Descriptor.Kind)
            {
                case ColumnKind.DecimalInt32:
                    if (unscaled < int.MinValue || unscaled > int.MaxValue) throw DecimalOverflow(start + i);
                    BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(n * 4), (int)unscaled);
                    break;
                case ColumnKind.DecimalInt64:
                    if (unscaled < long.MinValue || unscaled > long.MaxValue) throw DecimalOverflow(start + i);
                    BinaryPrimitives.WriteInt64LittleEndian(dest.Slice(n * 8), (long)unscaled);
                    break;
                default:
                    BinaryPrimitives.WriteInt128BigEndian(big, unscaled);
                    // The dropped high bytes must be pure sign extension, or the value does not fit the column.
                    var sign = (byte)(unscaled < 0 ? 0xFF : 0x00);
                    for (var b = 0; b < 16 - width; b++)
                    {
                        if (big[b] != sign) throw DecimalOverflow(start + i);
                    }
                    if ((big[16 - width] & 0x80) != (sign & 0x80)) throw DecimalOverflow(start + i);
                    big[(16 - width)..].CopyTo(dest.Slice(n * width));
                    break;
            }
            n++;
        }
        _values.Length += n * width;
    }

    private FloeException DecimalOverflow(int row) =>
        Errors.InvalidArgument($"{_location}: column '{Descriptor.Field.Name}' row {row}: decimal value exceeds precision {Descriptor.Type.Precision}");

    private void AppendByteArrays(BinaryArray arr, int start, int count, bool hasNulls)
    {
        var offsets = arr.ValueOffsets.Slice(start, count + 1);
        var data = arr.Values;
        var total = offsets[count] - offsets[0] + 4 * count;
        var dest = _values.GetSpan(total);
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            if (hasNulls && !IsValid(arr, start + i)) continue;
            var len = offsets[i + 1] - offsets[i];
            BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(pos), len);
            data.Slice(offsets[i], len).CopyTo(dest.Slice(pos + 4));
            pos += 4 + len;
        }
        _values.Length += pos;
    }

    private void AppendFixed(FixedSizeBinaryArray arr, int start, int count, bool hasNulls)
    {
        var width = Descriptor.Width;
        var source = arr.ValueBuffer.Span;
        if (!hasNulls)
        {
            _values.Append(source.Slice((arr.Offset + start) * width, count * width));
            return;
        }
        var dest = _values.GetSpan(count * width);
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (!IsValid(arr, start + i)) continue;
            source.Slice((arr.Offset + start + i) * width, width).CopyTo(dest.Slice(n * width));
            n++;
        }
        _values.Length += n * width;
    }

    public void Dispose()
    {
        _values.Dispose();
        _validity.Dispose();
        _definitions.Dispose();
        _repetitions.Dispose();
        _dictionary.Dispose();
        _pages.Dispose();
        _dictionaryPage.Dispose();
        _compressor.Dispose();
    }
}
