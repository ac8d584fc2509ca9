using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Floe.Core.Types;

namespace Floe.Parquet.Writing;

/// <summary>Running min/max statistics, per row group (Parquet footer) and per file (Iceberg metrics).</summary>
internal sealed partial class ColumnWriter
{
    private bool _chunkHas;
    private long _chunkMinL, _chunkMaxL;
    private double _chunkMinD, _chunkMaxD;
    private Int128 _chunkMinI, _chunkMaxI;
    private byte[] _chunkMinB = System.Array.Empty<byte>(), _chunkMaxB = System.Array.Empty<byte>();

    private bool _fileHas;
    private long _fileMinL, _fileMaxL;
    private double _fileMinD, _fileMaxD;
    private Int128 _fileMinI, _fileMaxI;
    private byte[] _fileMinB = System.Array.Empty<byte>(), _fileMaxB = System.Array.Empty<byte>();

    /// <summary>Rows written to finished row groups (value_counts).</summary>
    public long FileValueCount { get; private set; }

    /// <summary>Nulls written to finished row groups.</summary>
    public long FileNullCount { get; private set; }

    /// <summary>NaNs seen (float/double only).</summary>
    public long FileNanCount { get; private set; }

    /// <summary>Compressed bytes of this column's chunks, page headers included (column_sizes).</summary>
    public long FileCompressedBytes { get; private set; }

    private void ResetChunkStatistics() => _chunkHas = false;

    private void UpdateStatistics(ReadOnlySpan<byte> region)
    {
        if (region.IsEmpty) return;
        switch (Descriptor.Kind)
        {
            case ColumnKind.Boolean:
                MergeLong(region.Contains((byte)0) ? 0 : 1, region.Contains((byte)1) ? 1 : 0);
                break;
            case ColumnKind.Int32:
            case ColumnKind.DecimalInt32:
                {
                    var (min, max) = MinMax.Of(MemoryMarshal.Cast<byte, int>(region));
                    MergeLong(min, max);
                    break;
                }
            case ColumnKind.Int64:
            case ColumnKind.DecimalInt64:
                {
                    var (min, max) = MinMax.Of(MemoryMarshal.Cast<byte, long>(region));
                    MergeLong(min, max);
                    break;
                }
            case ColumnKind.Float:
                MergeFloating(MemoryMarshal.Cast<byte, float>(region));
                break;
            case ColumnKind.Double:
                MergeFloating(MemoryMarshal.Cast<byte, double>(region));
                break;
            case ColumnKind.DecimalFixed:
                {
                    var width = Descriptor.Width;
                    Int128 min = ReadBigEndian(region[..width]), max = min;
                    for (var p = width; p < region.Length; p += width)
                    {
                        var x = ReadBigEndian(region.Slice(p, width));
                        if (x < min) min = x;
                        if (x > max) max = x;
                    }
                    MergeInt128(min, max);
                    break;
                }
            case ColumnKind.Fixed:
                {
                    var width = Descriptor.Width;
                    ReadOnlySpan<byte> min = region[..width], max = min;
                    for (var p = width; p < region.Length; p += width)
                    {
                        var x = region.Slice(p, width);
                        if (x.SequenceCompareTo(min) < 0) min = x;
                        if (x.SequenceCompareTo(max) > 0) max = x;
                    }
                    MergeBytes(min, max);
                    break;
                }
            case ColumnKind.ByteArray:
                {
                    ReadOnlySpan<byte> min = default, max = default;
                    var first = true;
                    for (var p = 0; p < region.Length;)
                    {
                        var len = BinaryPrimitives.ReadInt32LittleEndian(region[p..]);
                        var x = region.Slice(p + 4, len);
                        p += 4 + len;
                        if (first)
                        {
                            min = max = x;
                            first = false;
                            continue;
                        }
                        if (x.SequenceCompareTo(min) < 0) min = x;
                        else if (x.SequenceCompareTo(max) > 0) max = x;
                    }
                    MergeBytes(min, max);
                    break;
                }
        }
    }

    private void MergeFloating<T>(ReadOnlySpan<T> values)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var has = MinMax.OfFloating(values, out var min, out var max, out var nans);
        MergeFloating(has, min, max, nans);
    }

    /// <summary>Folds one stretch's min/max (when it had a value not NaN) and NaN count into the chunk and file statistics.</summary>
    private void MergeFloating<T>(bool has, T min, T max, long nans)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        FileNanCount += nans;
        if (!has) return;
        var dmin = double.CreateTruncating(min);
        var dmax = double.CreateTruncating(max);
        if (!_chunkHas || dmin < _chunkMinD) _chunkMinD = dmin;
        if (!_chunkHas || dmax > _chunkMaxD) _chunkMaxD = dmax;
        if (!_fileHas || dmin < _fileMinD) _fileMinD = dmin;
        if (!_fileHas || dmax > _fileMaxD) _fileMaxD = dmax;
        _chunkHas = _fileHas = true;
    }

    private void MergeLong(long min, long max)
    {
        if (!_chunkHas || min < _chunkMinL) _chunkMinL = min;
        if (!_chunkHas || max > _chunkMaxL) _chunkMaxL = max;
        if (!_fileHas || min < _fileMinL) _fileMinL = min;
        if (!_fileHas || max > _fileMaxL) _fileMaxL = max;
        _chunkHas = _fileHas = true;
    }

    private void MergeInt128(Int128 min, Int128 max)
    {
        if (!_chunkHas || min < _chunkMinI) _chunkMinI = min;
        if (!_chunkHas || max > _chunkMaxI) _chunkMaxI = max;
        if (!_fileHas || min < _fileMinI) _fileMinI = min;
        if (!_fileHas || max > _fileMaxI) _fileMaxI = max;
        _chunkHas = _fileHas = true;
    }

    private void MergeBytes(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max)
    {
        if (!_chunkHas || min.SequenceCompareTo(_chunkMinB) < 0) _chunkMinB = min.ToArray();
        if (!_chunkHas || max.SequenceCompareTo(_chunkMaxB) > 0) _chunkMaxB = max.ToArray();
        if (!_fileHas || min.SequenceCompareTo(_fileMinB) < 0) _fileMinB = min.ToArray();
        if (!_fileHas || max.SequenceCompareTo(_fileMaxB) > 0) _fileMaxB = max.ToArray();
        _chunkHas = _fileHas = true;
    }

    private static Int128 ReadBigEndian(ReadOnlySpan<byte> bytes)
    {
        Span<byte> full = stackalloc byte[16];
        full.Fill((bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0);
        bytes.CopyTo(full[(16 - bytes.Length)..]);
        return BinaryPrimitives.ReadInt128BigEndian(full);
    }

    /// <summary>The current row group's min/max in Parquet's PLAIN statistics encoding, or false when all values are null (or NaN).</summary>
    private bool TryGetChunkStatistics(out byte[] min, out byte[] max)
    {
        min = max = System.Array.Empty<byte>();
        if (!_chunkHas) return false;
        switch (Descriptor.Kind)
        {
            case ColumnKind.Boolean:
                min = new[] { (byte)_chunkMinL };
                max = new[] { (byte)_chunkMaxL };
                return true;
            case ColumnKind.Int32:
            case ColumnKind.DecimalInt32:
                min = new byte[4];
                max = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(min, (int)_chunkMinL);
                BinaryPrimitives.WriteInt32LittleEndian(max, (int)_chunkMaxL);
                return true;
            case ColumnKind.Int64:
            case ColumnKind.DecimalInt64:
                min = new byte[8];
                max = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(min, _chunkMinL);
                BinaryPrimitives.WriteInt64LittleEndian(max, _chunkMaxL);
                return true;
            case ColumnKind.Float:
                min = new byte[4];
                max = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(min, (float)ZeroToNegative(_chunkMinD));
                BinaryPrimitives.WriteSingleLittleEndian(max, (float)ZeroToPositive(_chunkMaxD));
                return true;
            case ColumnKind.Double:
                min = new byte[8];
                max = new byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(min, ZeroToNegative(_chunkMinD));
                BinaryPrimitives.WriteDoubleLittleEndian(max, ZeroToPositive(_chunkMaxD));
                return true;
            case ColumnKind.DecimalFixed:
                min = ToBigEndian(_chunkMinI, Descriptor.Width);
                max = ToBigEndian(_chunkMaxI, Descriptor.Width);
                return true;
            default:
                // Very long strings make a bloated footer; Parquet readers treat missing stats as unknown.
                if (_chunkMinB.Length > 4096 || _chunkMaxB.Length > 4096) return false;
                min = _chunkMinB;
                max = _chunkMaxB;
                return true;
        }
    }

    private static byte[] ToBigEndian(Int128 value, int width)
    {
        Span<byte> full = stackalloc byte[16];
        BinaryPrimitives.WriteInt128BigEndian(full, value);
        return full[(16 - width)..].ToArray();
    }

    // Parquet and Iceberg both ask for -0.0 as a zero lower bound and +0.0 as a zero upper bound.
    private static double ZeroToNegative(double v) => v == 0 ? -0.0 : v;

    private static double ZeroToPositive(double v) => v == 0 ? 0.0 : v;

    /// <summary>The file's Iceberg lower/upper bounds as CLR values (truncated for string/binary), or false when none exist.</summary>
    public bool TryGetBounds(int truncateLength, out object? lower, out object? upper)
    {
        lower = upper = null;
        if (!_fileHas) return false;
        var type = Descriptor.Type;
        switch (type.Id.Storage())
        {
            case StorageKind.Boolean:
                lower = _fileMinL != 0;
                upper = _fileMaxL != 0;
                break;
            case StorageKind.Int32:
                lower = (int)_fileMinL;
                upper = (int)_fileMaxL;
                break;
            case StorageKind.Int64:
                lower = _fileMinL;
                upper = _fileMaxL;
                break;
            case StorageKind.Float32:
                lower = (float)ZeroToNegative(_fileMinD);
                upper = (float)ZeroToPositive(_fileMaxD);
                break;
            case StorageKind.Float64:
                lower = ZeroToNegative(_fileMinD);
                upper = ZeroToPositive(_fileMaxD);
                break;
            case StorageKind.Decimal:
                {
                    var minI = Descriptor.Kind == ColumnKind.DecimalFixed ? _fileMinI : _fileMinL;
                    var maxI = Descriptor.Kind == ColumnKind.DecimalFixed ? _fileMaxI : _fileMaxL;
                    lower = BoundsTruncation.ToDecimal(minI, type.Scale);
                    upper = BoundsTruncation.ToDecimal(maxI, type.Scale);
                    break;
                }
            case StorageKind.String:
                lower = BoundsTruncation.StringLower(_fileMinB, truncateLength);
                upper = BoundsTruncation.StringUpper(_fileMaxB, truncateLength);
                break;
            case StorageKind.Uuid:
                lower = new Guid(_fileMinB, bigEndian: true);
                upper = new Guid(_fileMaxB, bigEndian: true);
                break;
            default:
                lower = BoundsTruncation.BinaryLower(_fileMinB, truncateLength);
                upper = BoundsTruncation.BinaryUpper(_fileMaxB, truncateLength);
                break;
        }
        return lower is not null || upper is not null;
    }
}
