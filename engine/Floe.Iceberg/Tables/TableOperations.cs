using System.Text;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Io;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Spec.Serde;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Iceberg.Tables;

/// <summary>
/// Reads and commits one table's metadata: a commit writes a new metadata file, then compare-and-swaps the
/// catalog pointer. A lost race deletes the new file and raises a retryable CommitConflict.
/// </summary>
public sealed class TableOperations
{
    private const int CachedManifestLists = 4;

    private string? _cachedLocation;
    private TableMetadata? _cachedMetadata;
    // Manifest lists are immutable once written, so the few most recent ones (the parent a commit builds on, the
    // list it just wrote) are kept: a writer committing in a row never re-reads the list it wrote itself.
    private readonly List<(string Location, IReadOnlyList<ManifestFile> Manifests)> _manifestLists = new();

    /// <summary>Creates operations for <paramref name="id"/> in <paramref name="catalog"/>.</summary>
    public TableOperations(ICatalog catalog, TableIdentifier id, IFileIO io)
    {
        Catalog = catalog;
        Identifier = id;
        Io = io;
    }

    /// <summary>The catalog holding the pointer.</summary>
    public ICatalog Catalog { get; }

    /// <summary>The table's name.</summary>
    public TableIdentifier Identifier { get; }

    /// <summary>Storage access.</summary>
    public IFileIO Io { get; }

    /// <summary>Loads the current metadata from the catalog pointer (re-reading the file only when it moved).</summary>
    public (TableMetadata Metadata, string Location) Refresh()
    {
        var location = Catalog.LoadMetadataLocation(Identifier);
        if (location == _cachedLocation && _cachedMetadata is not null)
        {
            return (_cachedMetadata, location);
        }
        var metadata = (Catalog as IUpdatingCatalog)?.LoadedMetadata(Identifier, location) ?? ReadMetadata(Io, location);
        _cachedLocation = location;
        _cachedMetadata = metadata;
        return (metadata, location);
    }

    /// <summary>The manifests listed in the manifest list at <paramref name="location"/> (cached: manifest lists never change).</summary>
    public IReadOnlyList<ManifestFile> ReadManifestList(string location)
    {
        lock (_manifestLists)
        {
            foreach (var (cached, manifests) in _manifestLists)
            {
                if (cached == location) return manifests;
            }
        }
        var read = ManifestListReader.Read(Io, location);
        RememberManifestList(location, read);
        return read;
    }

    /// <summary>Records the content of a manifest list this process wrote, as the reader would return it.</summary>
    public void RememberManifestList(string location, IReadOnlyList<ManifestFile> manifests)
    {
        lock (_manifestLists)
        {
            _manifestLists.RemoveAll(e => e.Location == location);
            _manifestLists.Add((location, manifests));
            if (_manifestLists.Count > CachedManifestLists) _manifestLists.RemoveAt(0);
        }
    }

    /// <summary>Reads and parses a metadata file.</summary>
    public static TableMetadata ReadMetadata(IFileIO io, string location)
    {
        using var stream = io.OpenRead(location);
        using var bytes = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, int.MaxValue) : 0);
        stream.CopyTo(bytes);
        return TableMetadataParser.Parse(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), location);
    }

    /// <summary>
    /// Commits <paramref name="commit"/> on top of <paramref name="baseMetadata"/> (the metadata at
    /// <paramref name="baseLocation"/>, as last refreshed): checks its requirements against the base, applies its
    /// updates, writes the result as the next metadata version and compare-and-swaps the catalog pointer from the
    /// base. A lost swap deletes the new file and raises a retryable CommitConflict. Returns the new metadata location.
    /// </summary>
    public string Commit(TableMetadata baseMetadata, string baseLocation, TableCommit commit, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(baseMetadata);
        ArgumentNullException.ThrowIfNull(commit);
        if (Catalog is IUpdatingCatalog remote)
        {
            // The catalog checks the requirements against its own current metadata and writes the file itself.
            var (committed, location) = remote.CommitTable(Identifier, commit, baseMetadata.FormatVersion);
            _cachedLocation = location;
            _cachedMetadata = committed;
            return location;
        }
        var updated = commit.Apply(baseMetadata, Identifier.ToString(), nowMs);
        var withLog = updated with
        {
            MetadataLog = AppendMetadataLog(baseMetadata, baseLocation, updated),
        };
        var newLocation = NewMetadataLocation(withLog.Location, VersionOf(baseLocation) + 1);
        Io.WriteAtomic(newLocation, TableMetadataParser.ToUtf8Json(withLog));
        try
        {
            Catalog.SwapMetadataLocation(Identifier, baseLocation, newLocation);
        }
        catch (FloeException e) when (e.Code == FloeErrorCode.CommitConflict)
        {
            Io.Delete(newLocation);
            throw;
        }
        _cachedLocation = newLocation;
        _cachedMetadata = withLog;
        return newLocation;
    }

    /// <summary>
    /// Commits the change from <paramref name="baseMetadata"/> to <paramref name="updated"/>, stated as table updates
    /// and requirements (<see cref="MetadataDiff"/>); see <see cref="Commit(TableMetadata, string, TableCommit, long)"/>.
    /// </summary>
    public string Commit(TableMetadata baseMetadata, string baseLocation, TableMetadata updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        return Commit(baseMetadata, baseLocation, MetadataDiff.Between(baseMetadata, updated), updated.LastUpdatedMs);
    }

    /// <summary>The location of metadata version <paramref name="version"/>: <c>metadata/00001-uuid.metadata.json</c> as Java names them.</summary>
    public static string NewMetadataLocation(string tableLocation, int version) =>
        $"{tableLocation.TrimEnd('/')}/metadata/{version:D5}-{Guid.NewGuid()}.metadata.json";

    /// <summary>The version number a metadata file name starts with (<c>00003-…</c> or <c>v3.metadata.json</c>), or 0.</summary>
    public static int VersionOf(string metadataLocation)
    {
        var name = metadataLocation[(metadataLocation.LastIndexOf('/') + 1)..];
        if (name.StartsWith('v')) name = name[1..];
        var end = 0;
        while (end < name.Length && char.IsAsciiDigit(name[end])) end++;
        return end > 0 && int.TryParse(name.AsSpan(0, end), out var v) ? v : 0;
    }

    private static IReadOnlyList<MetadataLogEntry> AppendMetadataLog(TableMetadata baseMetadata, string baseLocation, TableMetadata updated)
    {
        var max = updated.Properties.TryGetValue("write.metadata.previous-versions-max", out var s) && int.TryParse(s, out var m) ? m : 100;
        var log = new List<MetadataLogEntry>(updated.MetadataLog) { new(baseMetadata.LastUpdatedMs, baseLocation) };
        return log.Count > max ? log.GetRange(log.Count - max, max) : log;
    }
}
