using Floe.Core.Errors;

namespace Floe.Iceberg.Io;

/// <summary>
/// <see cref="IFileIO"/> over the local filesystem. Understands every way writers spell local locations
/// (<c>/abs</c>, <c>file:/abs</c>, <c>file:///abs</c>, <c>file://rel</c>, <c>./rel</c>, <c>rel</c>), and maps foreign
/// prefixes (<c>s3a://bucket/t</c>) onto local folders so tables written elsewhere can be read in place.
/// </summary>
public sealed class LocalFileIO : IFileIO
{
    private readonly List<(string From, string To)> _mappings = new();

    /// <summary>Creates a file IO; relative locations resolve against <paramref name="baseDirectory"/> (default: current directory).</summary>
    public LocalFileIO(string? baseDirectory = null)
    {
        BaseDirectory = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());
    }

    /// <summary>The folder relative locations resolve against.</summary>
    public string BaseDirectory { get; }

    /// <summary>Maps every location starting with <paramref name="fromPrefix"/> to <paramref name="toDirectory"/>. Longest prefix wins.</summary>
    public LocalFileIO AddMapping(string fromPrefix, string toDirectory)
    {
        _mappings.Add((Normalize(fromPrefix).TrimEnd('/'), Path.GetFullPath(toDirectory).TrimEnd('/')));
        _mappings.Sort((a, b) => b.From.Length.CompareTo(a.From.Length));
        return this;
    }

    /// <summary>Resolves a location to a local absolute path.</summary>
    public string Resolve(string location)
    {
        location = Normalize(location);
        foreach (var (from, to) in _mappings)
        {
            if (location == from) return to;
            if (location.StartsWith(from, StringComparison.Ordinal) && location[from.Length] == '/')
            {
                return to + location[from.Length..];
            }
        }
        var path = location;
        if (path.StartsWith("file://", StringComparison.Ordinal))
        {
            path = path["file://".Length..];
        }
        else if (path.StartsWith("file:", StringComparison.Ordinal))
        {
            path = path["file:".Length..];
        }
        if (path.Contains("://", StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"location '{location}' is not local and no --location-map covers it");
        }
        return Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));
    }

    /// <inheritdoc />
    public Stream OpenRead(string location)
    {
        var path = Resolve(location);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        }
        catch (FileNotFoundException e)
        {
            throw new FloeException(FloeErrorCode.NotFound, $"{location}: file not found" + (path != location ? $" (resolved to {path})" : ""), e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new FloeException(FloeErrorCode.NotFound, $"{location}: file not found" + (path != location ? $" (resolved to {path})" : ""), e);
        }
        catch (IOException e)
        {
            throw Errors.Io(location, e);
        }
    }

    /// <inheritdoc />
    public Stream Create(string location)
    {
        var path = Resolve(location);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    /// <inheritdoc />
    public void WriteAtomic(string location, ReadOnlySpan<byte> content)
    {
        var path = Resolve(location);
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // File.Move without overwrite fails when the target exists, so two writers can never
            // both claim the same metadata file name.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException e)
        {
            TryDelete(temp);
            if (File.Exists(path))
            {
                throw new FloeException(FloeErrorCode.CommitConflict, $"{location}: already exists (a concurrent writer took it)", e);
            }
            throw Errors.Io(location, e);
        }
    }

    /// <inheritdoc />
    public bool Exists(string location) => File.Exists(Resolve(location));

    /// <inheritdoc />
    public long GetLength(string location)
    {
        var info = new FileInfo(Resolve(location));
        if (!info.Exists) throw new FloeException(FloeErrorCode.NotFound, $"{location}: file not found");
        return info.Length;
    }

    /// <inheritdoc />
    public void Delete(string location) => TryDelete(Resolve(location));

    /// <inheritdoc />
    public IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix)
    {
        var root = Resolve(prefix);
        if (!Directory.Exists(root)) yield break;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            yield return (file, File.GetLastWriteTimeUtc(file));
        }
    }

    /// <summary>Drops a leading <c>./</c>, which writers add or omit for the same relative location.</summary>
    private static string Normalize(string location)
    {
        while (location.StartsWith("./", StringComparison.Ordinal)) location = location[2..];
        return location;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: an undeletable leftover is reclaimed by orphan-file removal.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
