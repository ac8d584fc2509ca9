using Floe.Core.Errors;

namespace Floe.Core.Io;

/// <summary>
/// The one check behind "Floe never touches a file outside its warehouse": whether a path lies inside a root folder,
/// judged on normalised absolute paths (so <c>..</c> and doubled separators cannot escape), and whether any folder
/// between the root and the path is a symbolic link (through which a path inside could still reach outside).
/// </summary>
public static class PathContainment
{
    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> itself or lies below it.</summary>
    public static bool IsInside(string root, string path)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var fullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (fullPath.Length == fullRoot.Length) return string.Equals(fullPath, fullRoot, StringComparison.Ordinal);
        if (fullRoot == "/") return fullPath.StartsWith('/');
        return fullPath.Length > fullRoot.Length
            && fullPath.StartsWith(fullRoot, StringComparison.Ordinal)
            && fullPath[fullRoot.Length] == Path.DirectorySeparatorChar;
    }

    /// <summary>
    /// The first existing entry strictly below <paramref name="root"/> on the way to <paramref name="path"/>
    /// (<paramref name="path"/> included when <paramref name="includeSelf"/>) that is a symbolic link, or null. The root
    /// itself may be a link: the user chose it. Both paths must be absolute and <paramref name="path"/> inside the root.
    /// </summary>
    public static string? FirstLinkBelow(string root, string path, bool includeSelf)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var fullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (fullPath.Length <= fullRoot.Length) return null;
        var relative = fullPath[(fullRoot.Length + (fullRoot == "/" ? 0 : 1))..];
        var parts = relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = fullRoot;
        for (int i = 0; i < parts.Length; i++)
        {
            current = Path.Join(current, parts[i]);
            if (i == parts.Length - 1 && !includeSelf) break;
            FileSystemInfo info = new FileInfo(current);
            if (!info.Exists)
            {
                info = new DirectoryInfo(current);
                if (!info.Exists)
                {
                    // A dangling link exists as an entry even though neither a file nor a folder is behind it.
                    if (new FileInfo(current).LinkTarget is not null) return current;
                    return null;
                }
            }
            if (info.LinkTarget is not null) return current;
        }
        return null;
    }

    /// <summary>Throws InvalidData unless <paramref name="path"/> lies inside one of <paramref name="roots"/>; returns the root it lies in.</summary>
    public static string EnsureInside(IReadOnlyList<string> roots, string path, string location)
    {
        foreach (var root in roots)
        {
            if (IsInside(root, path)) return root;
        }
        throw Floe.Core.Errors.Errors.InvalidData(
            $"location '{location}' resolves to '{path}', outside the warehouse ({string.Join(", ", roots)}); Floe never reads, writes or deletes there");
    }
}
