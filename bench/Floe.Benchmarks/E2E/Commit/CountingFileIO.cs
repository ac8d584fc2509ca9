using Floe.Core.Io;

namespace Floe.Benchmarks.E2E.Commit;

/// <summary>
/// An <see cref="IFileIO"/> that counts what a commit or a scan plan touches, by kind of file: manifests,
/// manifest lists (<c>snap-*.avro</c>) and metadata JSON. Proves a commit reads and writes only what it changes.
/// </summary>
internal sealed class CountingFileIO : IFileIO
{
    private readonly IFileIO _inner;

    public CountingFileIO(IFileIO inner) => _inner = inner;

    public int ManifestReads { get; private set; }
    public int ManifestWrites { get; private set; }
    public int ListReads { get; private set; }
    public int ListWrites { get; private set; }
    public int MetadataReads { get; private set; }
    public int MetadataWrites { get; private set; }
    public long BytesWritten { get; private set; }

    public void Reset()
    {
        ManifestReads = ManifestWrites = ListReads = ListWrites = MetadataReads = MetadataWrites = 0;
        BytesWritten = 0;
    }

    public Stream OpenRead(string location)
    {
        Count(location, read: true);
        if (Environment.GetEnvironmentVariable("FLOE_BENCH_TRACE") == "1") Console.WriteLine($"  read {location}");
        return _inner.OpenRead(location);
    }

    public Stream Create(string location)
    {
        Count(location, read: false);
        return _inner.Create(location);
    }

    public void WriteAtomic(string location, ReadOnlySpan<byte> content)
    {
        Count(location, read: false);
        BytesWritten += content.Length;
        _inner.WriteAtomic(location, content);
    }

    public bool Exists(string location) => _inner.Exists(location);

    public long GetLength(string location) => _inner.GetLength(location);

    public void Delete(string location) => _inner.Delete(location);

    public IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix) => _inner.List(prefix);

    private void Count(string location, bool read)
    {
        var name = location[(location.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".metadata.json", StringComparison.Ordinal))
        {
            if (read) MetadataReads++; else MetadataWrites++;
        }
        else if (name.EndsWith(".avro", StringComparison.Ordinal) && name.StartsWith("snap-", StringComparison.Ordinal))
        {
            if (read) ListReads++; else ListWrites++;
        }
        else if (name.EndsWith(".avro", StringComparison.Ordinal))
        {
            if (read) ManifestReads++; else ManifestWrites++;
        }
    }
}
