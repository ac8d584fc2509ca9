using Floe.Core.Io;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Compares storage locations by what they resolve to, not by spelling: metadata may say <c>./t/data/x</c>,
/// <c>file:/abs/t/data/x</c> or <c>/abs/t//data/x</c> for the one file a listing returns as <c>/abs/t/data/x</c>.
/// A missed match would make a live file look unreferenced, so file-deleting maintenance keys every set by this.
/// </summary>
internal static class FileLocations
{
    /// <summary>The canonical key of <paramref name="location"/> under <paramref name="io"/>.</summary>
    public static string Key(IFileIO io, string location) =>
        io is LocalFileIO local ? local.ResolveForComparison(location) : location;

    /// <summary>A set keyed by <see cref="Key"/>.</summary>
    public static HashSet<string> NewSet() => new(StringComparer.Ordinal);
}
