using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Floe.Parquet.Encodings;
using Floe.Parquet.Thrift;

namespace Floe.Parquet.Writing;

/// <summary>
/// Cuts the raw page buffer into v1 data pages (RLE-hybrid definition levels; RLE_DICTIONARY values, else PLAIN,
/// DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT as the options ask), compresses them and keeps them in the chunk's
/// <see cref="PageStore"/>; at the end of the row group the dictionary page goes in front of them.
/// </summary>
internal sealed partial class ColumnWriter
{
    private const int EncodingPlain = 0;
    private const int EncodingRle = 3;
    private const int EncodingRleDictionary = 8;
    private const int EncodingDeltaBinaryPacked = 5;
    private const int EncodingByteStreamSplit = 9;

    private readonly ParquetWriterOptions _options;
    private readonly PageCompressor _compressor;
    // The current row group's compressed data pages, and its dictionary page once written (at the end of the row
    // group, or when the dictionary is abandoned after some pages used it).
    private readonly PageStore _pages;
    private readonly GrowableBuffer _dictionaryPage = new(0);
    private readonly List<PageIndexEntry> _pageEntries = new();
    private int _chunkRows;
    private int _chunkNulls;
    private long _chunkUncompressed;
    private int _dictionaryPages;
    private int _plainPages;
    private bool _chunkColumnIndex = true;
    // A page is built and compressed within one call (SealPages, or the dictionary page's), so its buffers are
    // borrowed for that call from a pool shared by every writer (see PageScratchPool) and given back when it ends.
    private PageScratchBuffers? _scratch;

    private PageScratchPool ScratchPool => _options.ScratchPool ?? PageScratchPool.Shared;

    private PageScratchBuffers Scratch => _scratch ??= ScratchPool.Rent();

    private GrowableBuffer PageScratch => Scratch.Body;

    private GrowableBuffer CompressedScratch => Scratch.Compressed;

    private GrowableBuffer TrialScratch => Scratch.Trial;

    private GrowableBuffer FastTrialScratch => Scratch.FastTrial;

    /// <summary>Gives the borrowed page buffers back (what was built in them is written by now).</summary>
    private void ReturnScratch()
    {
        if (_scratch is not { } scratch) return;
        _scratch = null;
        ScratchPool.Return(scratch);
    }

    // The ByteStreamSplitSlack and FastZstdSlack trials: the column's non-dictionary pages of the file are counted,
    // and pages 0, 3, 11, 19, ... (every TrialRules.Every-th after the first few) are sampled each way, each trial
    // settling the encoding (and the zstd level) until the next. Not only the first: the first pages of a file can be
    // unlike the rest (the feature engine's 7-day windows fill up over the first week), and so can any one page. A
    // trial clear of both bounds that chose as the one before it skips the next (TrialRules.NextTrial): a column
    // settled that way is sampled half as often.
    // Over 256 KiB: zstd picks its parameters by input size, and at 256 KiB and below it takes smaller hash tables
    // than for a whole page, which found fewer of PLAIN's repeats and sent columns split that were smaller PLAIN.
    private const int TrialSampleBytes = 264 << 10;
    private bool _splitChosen;
    private bool _fastChosen;
    // A trial has run, and its choice: the next one must agree with it to settle the column.
    private bool _tried;
    private bool _settled;
    private long _trialPages;
    private long _nextTrial;
    // Pages of the current chunk written BYTE_STREAM_SPLIT by the trial's choice (the others not dictionary encoded are PLAIN).
    private int _splitPages;

    private bool SplitByTrial => _options.ByteStreamSplitSlack is not null && !_options.ByteStreamSplitFloats
        && Descriptor.Kind is ColumnKind.Float or ColumnKind.Double;

    private bool FastByTrial => _options.FastZstdSlack is not null && _compressor.IsZstd
        && Descriptor.Kind is ColumnKind.Float or ColumnKind.Double or ColumnKind.Int32 or ColumnKind.Int64;

    private bool AnyTrial => SplitByTrial || FastByTrial;

    /// <summary>The zstd level of the next page not dictionary encoded: the fast one when the last trial chose it.</summary>
    private ZstdEffort PageLevel => _fastChosen ? FastEffort : new ZstdEffort(_options.ZstdLevel);

    /// <summary>The fast level, with <see cref="ParquetWriterOptions.FastZstdIntegerMinMatch"/> on delta-encoded pages.</summary>
    private ZstdEffort FastEffort => new(_options.FastZstdLevel, ValueEncoding == EncodingDeltaBinaryPacked ? _options.FastZstdIntegerMinMatch : 0);

    /// <summary>
    /// The zstd level of a numeric column's RLE_DICTIONARY data page: the fast one outright where it is tried at all.
    /// Bit-packed indices and RLE runs leave Huffman coding little to earn: on the feature bench's rolling maxima the
    /// fast level wrote index pages 0–3% larger for 10–20% less of the column's CPU (bench/RESULTS.md, "Session 22
    /// (lead)"), which made dictionary encoding cheaper than PLAIN there.
    /// </summary>
    private ZstdEffort DictionaryPageLevel => new(FastByTrial ? _options.FastZstdLevel : _options.ZstdLevel);
    private readonly ThriftCompactWriter _header = new();

    /// <summary>The footer facts of the last encoded chunk.</summary>
    public ChunkInfo LastChunk { get; private set; }

    // Repeated columns get no page index: their pages are cut by slots, and first_row_index counts records.
    private bool WritesPageIndex => _options.PageIndex && Descriptor.MaxRepetition == 0;

    /// <summary>
    /// Finishes the row group: seals the raw rows left as a last page, writes the dictionary page (when the chunk
    /// uses one) and folds the chunk's counts into the file totals; <see cref="WriteChunk"/> then writes it.
    /// </summary>
    public void EncodeChunk()
    {
        // A row group too small to reach the sample point is judged now; it alone goes PLAIN if the dictionary loses
        // (unless pages already use the dictionary: then it stays, correct if not the smallest).
        if (_dictionaryMode && Descriptor.Kind != ColumnKind.ByteArray && !_dictionarySampled && _dictionaryPages == 0 && !DictionaryPays())
        {
            AbandonDictionary(forFile: false);
        }
        SealPages();
        if (_dictionaryMode) WriteDictionaryPage();
        var dictionaryPageLength = _dictionaryPage.Length;
        PageIndexEntry[]? pages = null;
        if (WritesPageIndex)
        {
            pages = new PageIndexEntry[_pageEntries.Count];
            for (var i = 0; i < pages.Length; i++) pages[i] = _pageEntries[i] with { OffsetInChunk = _pageEntries[i].OffsetInChunk + dictionaryPageLength };
        }
        var compressed = dictionaryPageLength + _pages.Length;
        var hasStats = TryGetChunkStatistics(out var min, out var max);
        LastChunk = new ChunkInfo(_chunkRows, _chunkNulls, _chunkUncompressed, compressed, hasStats, min, max,
            dictionaryPageLength > 0 ? dictionaryPageLength : -1, ChunkValueEncoding, pages, pages is not null && _chunkColumnIndex && HasPageBounds(Descriptor.Kind),
            _dictionaryPages > 0 && _plainPages > 0, _splitPages > 0 && _splitPages < _plainPages);
        FileValueCount += _chunkRows;
        FileNullCount += _chunkNulls;
        FileCompressedBytes += compressed;
    }

    /// <summary>Writes the chunk of the last <see cref="EncodeChunk"/>: the dictionary page, then the data pages.</summary>
    public void WriteChunk(Action<ReadOnlySpan<byte>> write)
    {
        if (_dictionaryPage.Length > 0) write(_dictionaryPage.WrittenSpan);
        _pages.WriteTo(write);
    }

    private void ResetChunkPages()
    {
        // The encoded chunk is in the file: its blocks go back to the pool now rather than sitting in every open
        // column writer until the next row group.
        _pages.Clear();
        _dictionaryPage.Length = 0;
        _dictionaryPage.Release(0);
        _pageEntries.Clear();
        _chunkUncompressed = 0;
        _dictionaryPages = 0;
        _plainPages = 0;
        _splitPages = 0;
        _chunkColumnIndex = true;
    }

    /// <summary>
    /// Encodes and compresses the raw rows into data pages of about <see cref="ParquetWriterOptions.PageBytes"/>
    /// (fewer, larger ones rather than a runt), and empties the raw buffers.
    /// </summary>
    /// <param name="release">Also give the raw buffers' memory back (a memory budget asked for it).</param>
    public void SealPages(bool release = false)
    {
        try
        {
            SealPagesInScratch(release);
        }
        finally
        {
            ReturnScratch();
        }
    }

    /// <summary><see cref="SealPages"/>, in page buffers borrowed for the call.</summary>
    private void SealPagesInScratch(bool release)
    {
        // An idle column's hash table is dead weight until its next rows (rebuilt then from the dictionary).
        if (release && Descriptor.Kind != ColumnKind.ByteArray) ReleaseSlots();
        var rows = _rows;
        if (rows == 0)
        {
            if (release) ResetPage(release);
            return;
        }
        var pageBytes = Math.Max(1, _options.PageBytes);
        var pageCount = Math.Max(1, (ValueLength + pageBytes / 2) / pageBytes);
        pageCount = (int)Math.Max(pageCount, ((long)rows + _options.PageRows - 1) / _options.PageRows);
        var rowsPerPage = (int)(((long)rows + pageCount - 1) / pageCount);
        var valueOffset = 0;
        var bounds = WritesPageIndex && HasPageBounds(Descriptor.Kind);
        for (var r0 = 0; r0 < rows;)
        {
            var n = Math.Min(rowsPerPage, rows - r0);
            if (Descriptor.MaxRepetition > 0)
            {
                // A v1 page must hold whole records: extend it to the next slot that starts a row.
                var reps = _repetitions.WrittenSpan;
                while (r0 + n < rows && reps[r0 + n] != 0) n++;
            }
            var nonNull = Descriptor.HasDefinitionLevels ? Bits.PopCount(_validity.WrittenSpan, r0, n) : n;
            var valueBytes = ValueBytes(valueOffset, nonNull);
            if (!_dictionaryMode && nonNull > 0 && _trialPages >= _nextTrial && AnyTrial)
            {
                Trial(valueOffset, valueBytes);
                _nextTrial = TrialRules.NextTrial(_trialPages, _settled);
            }
            BuildPageBody(r0, n, nonNull, valueOffset, valueBytes);
            CompressedScratch.Length = 0;
            var compressedSize = _compressor.Compress(PageScratch.WrittenSpan, CompressedScratch, _dictionaryMode ? DictionaryPageLevel : PageLevel);
            var compressed = CompressedScratch;
            if (!_dictionaryMode && AnyTrial)
            {
                _trialPages++;
                if (_splitChosen) _splitPages++;
            }
            _header.Reset();
            _header.BeginStruct();
            _header.FieldI32(1, 0); // DATA_PAGE
            _header.FieldI32(2, PageScratch.Length);
            _header.FieldI32(3, compressedSize);
            _header.FieldStruct(5);
            _header.FieldI32(1, n);
            _header.FieldI32(2, _dictionaryMode ? EncodingRleDictionary : ValueEncoding);
            _header.FieldI32(3, EncodingRle);
            _header.FieldI32(4, EncodingRle);
            _header.EndStruct();
            _header.EndStruct();
            // Values appended without statistics are taken here, in the pass over the page's bounds when the whole page
            // is theirs (the usual case: a column left dictionary mode, if ever, before the page began).
            var statsHere = _statsFrom >= 0 && valueOffset + valueBytes > _statsFrom;
            if (statsHere && (_statsFrom > valueOffset || !_chunkColumnIndex || nonNull == 0))
            {
                var from = Math.Max(valueOffset, _statsFrom);
                UpdateStatistics(ValueSpan[from..(valueOffset + valueBytes)]);
                statsHere = false;
            }
            if (WritesPageIndex)
            {
                byte[] pageMin = System.Array.Empty<byte>(), pageMax = System.Array.Empty<byte>();
                if (bounds && _chunkColumnIndex && nonNull > 0) _chunkColumnIndex = TryPageBounds(valueOffset, nonNull, out pageMin, out pageMax, statsHere);
                _pageEntries.Add(new PageIndexEntry(_pages.Length, _header.Length + compressedSize, _chunkRows + r0, n - nonNull, nonNull == 0, pageMin, pageMax));
            }
            _pages.Append(_header.WrittenSpan);
            _pages.Append(compressed.WrittenSpan);
            _chunkUncompressed += _header.Length + PageScratch.Length;
            if (_dictionaryMode) _dictionaryPages++;
            else _plainPages++;
            valueOffset += valueBytes;
            r0 += n;
        }
        _chunkRows += rows;
        _chunkNulls += _nulls;
        ResetPage(release);
    }

    /// <summary>
    /// Settles the column's encoding (PLAIN or BYTE_STREAM_SPLIT, under <see cref="ParquetWriterOptions.ByteStreamSplitSlack"/>)
    /// and zstd level (under <see cref="ParquetWriterOptions.FastZstdSlack"/>) until the next trial, from a sample of
    /// the page's values (its first quarter, at least <see cref="TrialSampleBytes"/>): the sample is compressed PLAIN
    /// (or delta) and split at the configured level, then in the chosen encoding at the fast level (the bounds are
    /// <see cref="TrialRules"/>'). The page itself is then compressed once, as chosen. Sampling makes a trial cost
    /// about three quarters of a page's compression instead of three whole pages, which pays for trials every
    /// <see cref="TrialRules.Every"/> pages: one unlike page no longer
    /// settles a long stretch of the file (on the feature bench's output one trial page sent three mean columns
    /// PLAIN at the configured level for half the file, larger and four times the CPU of split pages at the fast level).
    /// </summary>
    private void Trial(int valueOffset, int valueBytes)
    {
        var width = Descriptor.Width;
        var sampleBytes = Math.Min(valueBytes, Math.Max(valueBytes / 4, TrialSampleBytes)) / width * width;
        var sample = ValueSpan.Slice(valueOffset, sampleBytes);
        var body = TrialScratch;
        var output = FastTrialScratch;
        // The column's own encoding of the sample: delta for integers under DeltaIntegers, else the values as they are.
        ReadOnlySpan<byte> plain = sample;
        if (ValueEncoding == EncodingDeltaBinaryPacked)
        {
            body.Length = 0;
            EncodeDelta(sample, body);
            plain = body.WrittenSpan;
        }
        var plainSize = CompressedSize(plain, output, new ZstdEffort(_options.ZstdLevel));
        var smallest = plainSize;
        var chosen = plain;
        var chosenSize = plainSize;
        var split = false;
        var fast = false;
        var clear = true;
        if (SplitByTrial)
        {
            body.Length = 0;
            ByteStreamSplit.Encode(sample, width, body.Reserve(sample.Length));
            var splitSize = CompressedSize(body.WrittenSpan, output, new ZstdEffort(_options.ZstdLevel));
            smallest = Math.Min(smallest, splitSize);
            var slack = _options.ByteStreamSplitSlack!.Value;
            split = TrialRules.SplitChosen(plainSize, splitSize, slack);
            clear = TrialRules.Clear(splitSize, plainSize * (1 + slack));
            if (split)
            {
                chosen = body.WrittenSpan;
                chosenSize = splitSize;
            }
        }
        if (FastByTrial)
        {
            var bound = TrialRules.FastBound(smallest, chosenSize, split, _options.FastZstdSlack!.Value, _options.ByteStreamSplitSlack ?? 0);
            var fastSize = CompressedSize(chosen, output, FastEffort);
            fast = fastSize <= bound;
            clear &= TrialRules.Clear(fastSize, bound);
        }
        _settled = clear && _tried && split == _splitChosen && fast == _fastChosen;
        _tried = true;
        _splitChosen = split;
        _fastChosen = fast;
    }

    private int CompressedSize(ReadOnlySpan<byte> source, GrowableBuffer scratch, ZstdEffort effort)
    {
        scratch.Length = 0;
        return _compressor.Compress(source, scratch, effort);
    }

    private int ValueBytes(int offset, int count)
    {
        if (_dictionaryMode) return count * 4;
        switch (Descriptor.Kind)
        {
            case ColumnKind.ByteArray:
                {
                    var span = ValueSpan;
                    var p = offset;
                    for (var i = 0; i < count; i++)
                    {
                        p += 4 + BinaryPrimitives.ReadInt32LittleEndian(span[p..]);
                    }
                    return p - offset;
                }
            default:
                return count * Descriptor.Width;
        }
    }

    private void BuildPageBody(int firstRow, int rows, int nonNull, int valueOffset, int valueBytes)
    {
        PageScratch.Length = 0;
        if (Descriptor.Nested)
        {
            if (Descriptor.MaxRepetition > 0) WriteLevels(_repetitions.WrittenSpan.Slice(firstRow, rows));
            if (Descriptor.MaxDefinition > 0) WriteLevels(_definitions.WrittenSpan.Slice(firstRow, rows));
        }
        else if (Descriptor.Optional)
        {
            var lengthSlot = PageScratch.Length;
            PageScratch.Reserve(4);
            if (nonNull == rows || nonNull == 0)
            {
                WriteVarint((uint)rows << 1);
                PageScratch.Reserve(1)[0] = nonNull == 0 ? (byte)0 : (byte)1;
            }
            else
            {
                var groups = (rows + 7) >> 3;
                WriteVarint(((uint)groups << 1) | 1);
                var dest = PageScratch.Reserve(groups);
                dest.Clear();
                Bits.Copy(_validity.WrittenSpan, firstRow, dest, 0, rows);
            }
            BinaryPrimitives.WriteInt32LittleEndian(PageScratch.WrittenSpan.Slice(lengthSlot, 4), PageScratch.Length - lengthSlot - 4);
        }
        var values = ValueSpan.Slice(valueOffset, valueBytes);
        if (_dictionaryMode)
        {
            WriteDictionaryIndices(values);
        }
        else if (Descriptor.Kind == ColumnKind.Boolean)
        {
            var dest = PageScratch.Reserve((nonNull + 7) >> 3);
            dest.Clear();
            for (var i = 0; i < nonNull; i++)
            {
                if (values[i] != 0) dest[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
        else if (ValueEncoding == EncodingDeltaBinaryPacked)
        {
            EncodeDelta(values, PageScratch);
        }
        else if (ValueEncoding == EncodingByteStreamSplit)
        {
            ByteStreamSplit.Encode(values, Descriptor.Width, PageScratch.Reserve(values.Length));
        }
        else
        {
            PageScratch.Append(values);
        }
    }

    /// <summary>Appends <paramref name="values"/> (this integer column's little-endian values) DELTA_BINARY_PACKED.</summary>
    private void EncodeDelta(ReadOnlySpan<byte> values, GrowableBuffer into)
    {
        if (Descriptor.Kind == ColumnKind.Int64) DeltaBinaryPacked.Encode(MemoryMarshal.Cast<byte, long>(values), into);
        else DeltaBinaryPacked.Encode(MemoryMarshal.Cast<byte, int>(values), into);
    }

    /// <summary>
    /// The encoding the footer lists for the chunk's pages not dictionary encoded: under the split trial
    /// BYTE_STREAM_SPLIT when any page is (PLAIN listed too when others are not), else <see cref="ValueEncoding"/>.
    /// </summary>
    private int ChunkValueEncoding => SplitByTrial ? (_splitPages > 0 ? EncodingByteStreamSplit : EncodingPlain) : ValueEncoding;

    /// <summary>The encoding of values outside a dictionary: PLAIN unless the options (or the split trial) pick delta or byte-stream-split for this column's kind.</summary>
    private int ValueEncoding => Descriptor.Kind switch
    {
        ColumnKind.Int32 or ColumnKind.Int64 when _options.DeltaIntegers => EncodingDeltaBinaryPacked,
        ColumnKind.Float or ColumnKind.Double when _options.ByteStreamSplitFloats || _splitChosen => EncodingByteStreamSplit,
        _ => EncodingPlain,
    };

    /// <summary>
    /// Writes levels as a length-prefixed RLE/bit-packed hybrid made of RLE runs only: nested levels come in long runs
    /// (a level per slot, mostly the maximum), and every level fits one byte.
    /// </summary>
    private void WriteLevels(ReadOnlySpan<byte> levels)
    {
        var lengthSlot = PageScratch.Length;
        PageScratch.Reserve(4);
        var i = 0;
        while (i < levels.Length)
        {
            var j = i + 1;
            while (j < levels.Length && levels[j] == levels[i]) j++;
            WriteVarint((uint)(j - i) << 1);
            PageScratch.Reserve(1)[0] = levels[i];
            i = j;
        }
        BinaryPrimitives.WriteInt32LittleEndian(PageScratch.WrittenSpan.Slice(lengthSlot, 4), PageScratch.Length - lengthSlot - 4);
    }

    private void WriteVarint(uint value)
    {
        while (value >= 0x80)
        {
            PageScratch.Reserve(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        PageScratch.Reserve(1)[0] = (byte)value;
    }
}

