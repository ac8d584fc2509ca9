using System.IO.MemoryMappedFiles;

namespace Floe.Parquet.Reading;

/// <summary>
/// A byte range of a local file mapped read-only, so a row group's column chunks are decoded straight from the page
/// cache: read into arrays, the bytes were first copied once more into fresh memory, which on a VM costs more than the
/// copy (each fresh page is a fault, and freed memory handed back to the host faults again on its next use). The
/// 1M-event feature job's one row group is 11 MB of chunks, read on one thread before any decoding starts.
/// Only ranges that lie wholly inside the file are mapped: a short file is reported by the ordinary read, never
/// met as a fault on a page past its end.
/// </summary>
internal sealed unsafe class MappedRange : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _data;
    private bool _disposed;

    private MappedRange(MemoryMappedFile file, MemoryMappedViewAccessor view, long start, long length)
    {
        _file = file;
        _view = view;
        Start = start;
        Length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _data = pointer + view.PointerOffset;
    }

    /// <summary>The file offset of the range's first byte.</summary>
    public long Start { get; }

    /// <summary>Bytes in the range.</summary>
    public long Length { get; }

    /// <summary>
    /// Maps [<paramref name="start"/>, + <paramref name="length"/>) of <paramref name="stream"/>'s file, or returns null
    /// when the stream is not a file, the range is empty, longer than a span can hold, or not wholly inside the file,
    /// or the mapping fails: the caller then reads the bytes as before.
    /// </summary>
    public static MappedRange? TryMap(Stream stream, long start, long length)
    {
        if (stream is not FileStream file || length <= 0 || length > int.MaxValue || start < 0) { return null; }
        MemoryMappedFile? mapped = null;
        try
        {
            if (start > file.Length - length) { return null; }
            mapped = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            var view = mapped.CreateViewAccessor(start, length, MemoryMappedFileAccess.Read);
            return new MappedRange(mapped, view, start, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            mapped?.Dispose();
            return null;
        }
    }

    /// <summary>The <paramref name="length"/> bytes at file offset <paramref name="offset"/>, which must lie in the range.</summary>
    public ReadOnlySpan<byte> Slice(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < Start || length < 0 || offset - Start > Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{length}) is outside the mapped [{Start}, +{Length})");
        }
        return new ReadOnlySpan<byte>(_data + (offset - Start), length);
    }

    /// <summary>Unmaps the range; spans taken from it must no longer be read.</summary>
    public void Dispose()
    {
        if (_disposed) { return; }
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
