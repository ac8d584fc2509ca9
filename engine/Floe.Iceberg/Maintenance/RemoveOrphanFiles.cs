using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Deletes files under the table location that nothing references: not the current metadata file, nor one in the
/// metadata log, nor <c>version-hint.text</c>, nor any manifest list, manifest, data or delete file of any snapshot.
/// Only files older than the cut-off (default 3 days, as Java) are touched, so files of commits still in flight
/// are safe. Refuses to run when the listing and the metadata disagree about where the table is (then every file
/// would look orphaned). The listing never follows a symbolic link, and nothing is deleted through one; a
/// registered table's files are deleted only when its storage was opened for that (<see cref="Floe.Core.Io.IFileIO.CanDelete"/>).
/// </summary>
public sealed class RemoveOrphanFiles
{
    /// <summary>The default grace period: files younger than this are never removed.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromDays(3);

    private readonly Table _table;
    private long? _olderThanMs;
    private bool _dryRun;

    /// <summary>Prepares an orphan scan of <paramref name="table"/>.</summary>
    public RemoveOrphanFiles(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>Only files last modified before <paramref name="timestampMs"/> (epoch ms) are candidates.</summary>
    public RemoveOrphanFiles OlderThan(long timestampMs)
    {
        _olderThanMs = timestampMs;
        return this;
    }

    /// <summary>Lists orphans without deleting them.</summary>
    public RemoveOrphanFiles DryRun(bool dryRun = true)
    {
        _dryRun = dryRun;
        return this;
    }

    /// <summary>Finds (and unless a dry run, deletes) the orphan files.</summary>
    public RemoveOrphanFilesResult Execute()
    {
        var metadata = _table.Refresh().Metadata;
        if (metadata.Properties.TryGetValue("gc.enabled", out var gc) && gc.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidArgument($"table '{_table.Identifier}' has gc.enabled=false: its location may hold other tables' files, so nothing is deleted");
        }
        if (!_dryRun && !_table.Io.CanDelete)
        {
            throw Errors.Unsupported(
                $"table '{_table.Identifier}' was registered, not created by Floe: its files are deleted only with --delete-registered-files (see what would go with --dry-run first)");
        }
        var olderThan = _olderThanMs ?? DateTimeOffset.UtcNow.Add(-DefaultGracePeriod).ToUnixTimeMilliseconds();
        var io = _table.Io;
        var referenced = ReachableFiles.Keys(io, metadata, _table.MetadataLocation);

        var listed = io.List(metadata.Location).ToList();
        var listedKeys = FileLocations.NewSet();
        foreach (var (location, _) in listed) listedKeys.Add(FileLocations.Key(io, location));
        if (!listedKeys.Contains(FileLocations.Key(io, _table.MetadataLocation)) &&
            FileLocations.Key(io, _table.MetadataLocation).StartsWith(FileLocations.Key(io, metadata.Location).TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw Errors.InvalidData(
                $"{_table.MetadataLocation}: the current metadata file is not among the files listed under '{metadata.Location}'; refusing to remove orphans because referenced files could not be matched");
        }

        var orphans = new List<string>();
        foreach (var (location, modified) in listed)
        {
            if (modified.ToUnixTimeMilliseconds() >= olderThan) continue;
            if (referenced.Contains(FileLocations.Key(io, location))) continue;
            if (Path.GetFileName(location) == "version-hint.text") continue;
            orphans.Add(location);
        }
        orphans.Sort(StringComparer.Ordinal);
        if (!_dryRun)
        {
            foreach (var orphan in orphans) io.Delete(orphan);
        }
        return new RemoveOrphanFilesResult(orphans, referenced.Count, olderThan, _dryRun);
    }
}
