using System.Text;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Iceberg.Maintenance;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Spec.Serde;
using Floe.Iceberg.Tables;
using Floe.Parquet;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// The embedded default: a local warehouse folder holding the SQLite catalog (<c>catalog.db</c>) and the tables'
/// files (<c>NS/TABLE/{metadata,data}</c>). Entry point for creating, registering, loading and dropping tables.
/// Thread-safe; several processes may open the same warehouse.
/// </summary>
public sealed class Warehouse
{
    /// <summary>The catalog database's file name inside the warehouse folder.</summary>
    public const string CatalogFileName = "catalog.db";

    private readonly ILocationMappingStore _mappings;

    /// <summary>Opens (creating if needed) the warehouse at <paramref name="directory"/> with its embedded SQLite catalog.</summary>
    public Warehouse(string directory)
        : this(directory, Path.Combine(Path.GetFullPath(directory), CatalogFileName))
    {
    }

    /// <summary>Opens (creating if needed) the warehouse at <paramref name="directory"/> with the SQLite catalog <paramref name="catalogDatabase"/>.</summary>
    public Warehouse(string directory, string catalogDatabase)
    {
        ArgumentNullException.ThrowIfNull(catalogDatabase);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        var db = Path.GetFullPath(catalogDatabase);
        var catalog = new SqliteCatalog(db, Directory);
        Catalog = catalog;
        _mappings = catalog;
    }

    /// <summary>
    /// Opens the warehouse folder <paramref name="directory"/> (created if needed) whose tables are kept by
    /// <paramref name="catalog"/> (a shared catalog such as PostgreSQL), with registered tables' location mappings in
    /// <paramref name="mappings"/>.
    /// </summary>
    public Warehouse(string directory, ICatalog catalog, ILocationMappingStore mappings)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(mappings);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        Catalog = catalog;
        _mappings = mappings;
    }

    /// <summary>The warehouse folder.</summary>
    public string Directory { get; }

    /// <summary>The catalog.</summary>
    public ICatalog Catalog { get; }

    /// <summary>
    /// Creates a table with <paramref name="schema"/> (field ids as given) and <paramref name="spec"/>; the namespace
    /// is created when missing. The reserved property <c>format-version</c> (2 by default, or 3) chooses the format
    /// and is not stored; a v3 table starts with <c>next-row-id</c> 0.
    /// </summary>
    /// <exception cref="FloeException">AlreadyExists; Unsupported or InvalidArgument for a format version Floe does not create, or a v3-only column type (timestamp_ns) in a v2 table; InvalidArgument naming the property for a write property with a value Floe cannot use (write.delete.mode, write.delete.isolation-level, write.parquet.*).</exception>
    public Table CreateTable(TableIdentifier id, Schema schema, PartitionSpec? spec = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        if (Catalog.TableExists(id)) throw Errors.AlreadyExists($"table '{id}' already exists");
        spec ??= PartitionSpec.Unpartitioned;
        var location = Catalog.DefaultTableLocation(id);
        var formatVersion = ReservedTableProperties.FormatVersionOf(properties);
        FormatVersionTypes.Require(schema, formatVersion);
        var props = new Dictionary<string, string>(StringComparer.Ordinal) { ["write.parquet.compression-codec"] = "zstd" };
        foreach (var (k, v) in ReservedTableProperties.WithoutReserved(properties) ?? new Dictionary<string, string>()) props[k] = v;
        // Write properties are read only when a write runs; checking them here refuses a typo at creation rather
        // than at the first delete or ingest.
        RowDeleteProperties.ModeOf(props);
        RowDeleteProperties.IsSerializable(props);
        ParquetWriterOptions.FromTableProperties(props);
        var metadata = new TableMetadata
        {
            FormatVersion = formatVersion,
            NextRowId = formatVersion >= 3 ? 0 : null,
            TableUuid = Guid.NewGuid(),
            Location = location,
            LastSequenceNumber = 0,
            LastUpdatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            LastColumnId = schema.HighestFieldId,
            Schemas = new[] { schema },
            CurrentSchemaId = schema.SchemaId,
            PartitionSpecs = new[] { spec },
            DefaultSpecId = spec.SpecId,
            LastPartitionId = spec.LastAssignedFieldId,
            Properties = props,
        };
        var io = NewIo(id, deleteRegisteredFiles: false);
        var metadataLocation = TableOperations.NewMetadataLocation(location, 0);
        io.WriteAtomic(metadataLocation, TableMetadataParser.ToUtf8Json(metadata));
        try
        {
            Catalog.CreateTableEntry(id, metadataLocation);
        }
        catch
        {
            io.Delete(metadataLocation);
            throw;
        }
        return LoadTable(id);
    }

    /// <summary>
    /// Registers an existing table by its metadata file (Iceberg's register_table). Locations inside the table that
    /// start with a prefix of <paramref name="locationMap"/> resolve to the mapped local folder; without a map the
    /// metadata's <c>location</c> maps to the folder that holds the metadata file's <c>metadata/</c> folder.
    /// </summary>
    public Table RegisterTable(TableIdentifier id, string metadataFile, IReadOnlyList<(string From, string To)>? locationMap = null)
    {
        var path = Path.GetFullPath(metadataFile);
        if (!File.Exists(path)) throw Errors.NotFound($"{metadataFile}: metadata file not found");
        var metadata = TableOperations.ReadMetadata(new LocalFileIO(), path);
        var mappings = new List<(string, string)>();
        // The folder holding metadata/: the table's own folder, and (with the map's folders) all Floe may touch of it.
        var tableRoot = Path.GetDirectoryName(Path.GetDirectoryName(path)) ?? "/";
        if (locationMap is { Count: > 0 })
        {
            mappings.AddRange(locationMap.Select(m => (m.From, Path.GetFullPath(m.To))));
            if (!mappings.Any(m => PathContainment.IsInside(m.Item2, path)))
            {
                // The metadata file itself must be readable through the confined storage.
                mappings.Add(("file://" + tableRoot, tableRoot));
            }
        }
        else
        {
            mappings.Add((metadata.Location, tableRoot));
        }
        foreach (var (_, to) in mappings)
        {
            if (Path.TrimEndingDirectorySeparator(to) is "/" or "")
            {
                throw Errors.InvalidArgument($"{metadataFile}: registering would let Floe touch the whole file system ('{to}'); keep the table in its own folder (TABLE/metadata/*.metadata.json) or give --location-map");
            }
        }
        if (Catalog.TableExists(id)) throw Errors.AlreadyExists($"table '{id}' already exists");
        _mappings.Save(id, mappings);
        Catalog.CreateTableEntry(id, path);
        return LoadTable(id);
    }

    /// <summary>Loads a table; throws NotFound.</summary>
    public Table LoadTable(TableIdentifier id) => LoadTable(id, deleteRegisteredFiles: false);

    /// <summary>
    /// Loads a table. A registered table's storage lets maintenance delete its files only when
    /// <paramref name="deleteRegisteredFiles"/> is set (the explicit <c>--delete-registered-files</c>); throws NotFound.
    /// </summary>
    public Table LoadTable(TableIdentifier id, bool deleteRegisteredFiles)
    {
        var ops = new TableOperations(Catalog, id, NewIo(id, deleteRegisteredFiles));
        var (metadata, location) = ops.Refresh();
        return new Table(ops, metadata, location);
    }

    /// <summary>
    /// Loads a table whose storage access goes through <paramref name="decorate"/>, applied to the warehouse's own
    /// file IO (instrumentation such as counting reads, or caching); throws NotFound.
    /// </summary>
    public Table LoadTable(TableIdentifier id, Func<IFileIO, IFileIO> decorate)
    {
        ArgumentNullException.ThrowIfNull(decorate);
        var ops = new TableOperations(Catalog, id, decorate(NewIo(id, deleteRegisteredFiles: false)));
        var (metadata, location) = ops.Refresh();
        return new Table(ops, metadata, location);
    }

    /// <summary>
    /// Renames a table in the catalog, keeping its files where they are (as Iceberg's rename does) and carrying a
    /// registered table's location mappings to the new name.
    /// </summary>
    public void RenameTable(TableIdentifier from, TableIdentifier to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var mappings = _mappings.Load(from);
        Catalog.RenameTable(from, to);
        if (mappings.Count > 0)
        {
            _mappings.Save(to, mappings);
            _mappings.Remove(from);
        }
    }

    /// <summary>
    /// The storage of table <paramref name="id"/> (confined to the warehouse, or to a registered table's mapped
    /// folders; never deleting a registered table's files) without loading its metadata: for serving files as they are.
    /// </summary>
    public IFileIO TableIo(TableIdentifier id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return NewIo(id, deleteRegisteredFiles: false);
    }

    /// <summary>Whether <paramref name="id"/> was registered (its files were not written by Floe) rather than created.</summary>
    public bool IsRegistered(TableIdentifier id) => _mappings.Load(id).Count > 0;

    /// <summary>
    /// Drops a table from the catalog. With <paramref name="purge"/>, then deletes exactly the files its metadata
    /// references (data, delete, manifest, manifest-list and metadata files), as Iceberg's purge does: never a folder
    /// tree, never a file outside the warehouse (or, for a registered table, its mapped folders), never through a
    /// symbolic link; emptied folders of the table's own warehouse folder are removed. A registered table is purged
    /// only with <paramref name="deleteRegisteredFiles"/>. The reference walk runs before the drop, so a table whose
    /// manifests cannot be read is refused (and stays) rather than half purged.
    /// </summary>
    public DropTableResult DropTable(TableIdentifier id, bool purge = false, bool deleteRegisteredFiles = false)
    {
        var registered = IsRegistered(id);
        if (purge && registered && !deleteRegisteredFiles)
        {
            throw Errors.Unsupported(
                $"table '{id}' was registered, not created by Floe: its files are purged only with --delete-registered-files (dropping without --purge keeps them)");
        }
        var table = LoadTable(id, deleteRegisteredFiles);
        var files = purge ? ReachableFiles.Locations(table.Io, table.Metadata, table.MetadataLocation) : Array.Empty<string>();
        Catalog.DropTableEntry(id);
        _mappings.Remove(id);
        if (!purge) return new DropTableResult(id, false, Array.Empty<string>(), Array.Empty<string>());

        var deleted = new List<string>();
        var skipped = new List<string>();
        foreach (var location in files)
        {
            try
            {
                table.Io.Delete(location);
                deleted.Add(location);
            }
            catch (FloeException e)
            {
                skipped.Add($"{location}: {e.Message}");
            }
        }
        if (!registered) RemoveEmptyFolders(WarehouseLayout.TableFolder(Directory, id));
        return new DropTableResult(id, true, deleted, skipped);
    }

    private LocalFileIO NewIo(TableIdentifier id, bool deleteRegisteredFiles)
    {
        var mappings = _mappings.Load(id);
        var io = LocalFileIO.Confined(Directory, canDelete: mappings.Count == 0 || deleteRegisteredFiles);
        foreach (var (from, to) in mappings) io.AddMapping(from, to);
        return io;
    }

    /// <summary>Removes the empty folders at and below <paramref name="folder"/>, bottom up, never entering a symbolic link.</summary>
    private static void RemoveEmptyFolders(string folder)
    {
        var info = new DirectoryInfo(folder);
        if (!info.Exists || info.LinkTarget is not null) return;
        var options = new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var child in System.IO.Directory.EnumerateDirectories(folder, "*", options)) RemoveEmptyFolders(child);
        try
        {
            if (!System.IO.Directory.EnumerateFileSystemEntries(folder).Any()) System.IO.Directory.Delete(folder, recursive: false);
        }
        catch (IOException)
        {
            // Something appeared in it meanwhile: it is not ours to remove.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
