using Floe.Core.Errors;

namespace Floe.Core.Io;

/// <summary>
/// <see cref="IFileIO"/> over the local filesystem. Understands every way writers spell local locations
/// (<c>/abs</c>, <c>file:/abs</c>, <c>file:///abs</c>, <c>file://rel</c>, <c>./rel</c>, <c>rel</c>), and maps foreign
/// prefixes (<c>s3a://bucket/t</c>) onto local folders so tables written elsewhere can be read in place.
/// <para>
/// A <see cref="Confined"/> IO (what a warehouse hands its tables) refuses every location that resolves outside its
/// base folder and its mapped folders, whatever the metadata says (absolute paths, <c>..</c>, foreign prefixes);
/// it deletes nothing through a symbolic link and lists without following links; and it can be made unable to
/// delete what it did not write itself (<see cref="CanDelete"/>, which file-deleting maintenance obeys), for tables
/// Floe did not create; a writer still removes its own uncommitted files.
/// </para>
/// </summary>
public sealed class LocalFileIO : IFileIO
{
    private readonly List<(string From, string To)> _mappings = new();
    private readonly List<string> _roots = new();

    /// <summary>Creates an unconfined file IO; relative locations resolve against <paramref name="baseDirectory"/> (default: current directory).</summary>
    public LocalFileIO(string? baseDirectory = null)
    {
        BaseDirectory = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());
    }

    /// <summary>
    /// Creates a file IO confined to <paramref name="root"/> (and to the folders later given to <see cref="AddMapping"/>):
    /// relative locations resolve against the root, and any location resolving elsewhere is refused with InvalidData.
    /// </summary>
    public static LocalFileIO Confined(string root, bool canDelete = true)
    {
        var io = new LocalFileIO(root) { CanDelete = canDelete };
        io._roots.Add(io.BaseDirectory);
        return io;
    }

    /// <summary>The folders this IO may touch; empty when unconfined.</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <inheritdoc />
    public bool CanDelete { get; private init; } = true;

    /// <summary>The folder relative locations resolve against.</summary>
    public string BaseDirectory { get; }

    /// <summary>Maps every location starting with <paramref name="fromPrefix"/> to <paramref name="toDirectory"/>. Longest prefix wins.</summary>
    public LocalFileIO AddMapping(string fromPrefix, string toDirectory)
    {
        var to = Path.GetFullPath(toDirectory).TrimEnd('/');
        _mappings.Add((Normalize(fromPrefix).TrimEnd('/'), to));
        _mappings.Sort((a, b) => b.From.Length.CompareTo(a.From.Length));
        if (_roots.Count > 0 && !_roots.Contains(to)) _roots.Add(to);
        return this;
    }

    /// <summary>Resolves a location to a local absolute path; a confined IO refuses one outside its roots (InvalidData).</summary>
    public string Resolve(string location)
    {
        var path = ResolveUnchecked(location);
        if (_roots.Count == 0) return path;
        var full = Path.GetFullPath(path);
        PathContainment.EnsureInside(_roots, full, location);
        return full;
    }

    /// <summary>
    /// The path <paramref name="location"/> names, without the confinement check: only for comparing locations
    /// (a location outside is still a location that can be matched and reported), never for touching the file.
    /// </summary>
    public string ResolveForComparison(string location) => Path.GetFullPath(ResolveUnchecked(location.Replace('\0', '?')));

    private string ResolveUnchecked(string location)
    {
        if (location.Contains('\0', StringComparison.Ordinal))
        {
            throw Floe.Core.Errors.Errors.InvalidData($"location '{location.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character");
        }
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
            throw Floe.Core.Errors.Errors.InvalidArgument($"location '{location}' is not local and no --location-map covers it");
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
            throw Floe.Core.Errors.Errors.Io(location, e);
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
            throw Floe.Core.Errors.Errors.Io(location, e);
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
    public void Delete(string location)
    {
        var path = Resolve(location);
        if (_roots.Count > 0)
        {
            var root = PathContainment.EnsureInside(_roots, path, location);
            if (PathContainment.FirstLinkBelow(root, path, includeSelf: false) is { } link)
            {
                throw Floe.Core.Errors.Errors.InvalidData($"{location}: not deleted, its path passes through the symbolic link '{link}'; Floe never deletes through a link");
            }
        }
        TryDelete(path);
    }

    /// <inheritdoc />
    /// <remarks>Symbolic links are neither listed nor followed: a linked folder may lead outside the warehouse.</remarks>
    public IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix)
    {
        var root = Resolve(prefix);
        if (!Directory.Exists(root)) yield break;
        if (_roots.Count > 0 && PathContainment.FirstLinkBelow(PathContainment.EnsureInside(_roots, root, prefix), root, includeSelf: true) is not null) yield break;
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
            MatchType = MatchType.Simple,
        };
        foreach (var file in Directory.EnumerateFiles(root, "*", options))
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
