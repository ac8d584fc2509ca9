using Floe.Core.Io;

namespace Floe.Fuzz;

/// <summary>A read-only file system holding one file, so readers that open by location read fuzz input from memory.</summary>
internal sealed class MemoryFileIO : IFileIO
{
    private readonly string _location;
    private readonly byte[] _bytes;

    public MemoryFileIO(string location, byte[] bytes)
    {
        _location = location;
        _bytes = bytes;
    }

    public Stream OpenRead(string location) =>
        location == _location ? new MemoryStream(_bytes, writable: false) : throw Floe.Core.Errors.Errors.NotFound($"{location}: file not found");

    public Stream Create(string location) => throw new NotSupportedException("read-only");

    public void WriteAtomic(string location, ReadOnlySpan<byte> content) => throw new NotSupportedException("read-only");

    public bool Exists(string location) => location == _location;

    public long GetLength(string location) =>
        location == _location ? _bytes.Length : throw Floe.Core.Errors.Errors.NotFound($"{location}: file not found");

    public bool CanDelete => false;

    public void Delete(string location) => throw new NotSupportedException("read-only");

    public IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix)
    {
        if (_location.StartsWith(prefix, StringComparison.Ordinal)) yield return (_location, DateTimeOffset.UnixEpoch);
    }
}
