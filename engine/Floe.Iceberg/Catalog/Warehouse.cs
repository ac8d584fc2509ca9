using System.Text;
using Floe.Core.Errors;
using Floe.Iceberg.Io;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Spec.Serde;
using Floe.Iceberg.Tables;

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

    private readonly LocationMappingStore _mappings;

    /// <summary>Opens (creating if needed) the warehouse at <paramref name="directory"/>.</summary>
    public Warehouse(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        var db = Path.Combine(Directory, CatalogFileName);
        Catalog = new SqliteCatalog(db, Directory);
        _mappings = new LocationMappingStore(db, Catalog.Name);
    }

    /// <summary>The warehouse folder.</summary>
    public string Directory { get; }

    /// <summary>The catalog.</summary>
    public ICatalog Catalog { get; }

    /// <summary>
    /// Creates a format-v2 table with <paramref name="schema"/> (field ids as given) and <paramref name="spec"/>;
    /// the namespace is created when missing.
    /// </summary>
    public Table CreateTable(TableIdentifier id, Schema schema, PartitionSpec? spec = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        if (Catalog.TableExists(id)) throw Errors.AlreadyExists($"table '{id}' already exists");
        spec ??= PartitionSpec.Unpartitioned;
        var location = Catalog.DefaultTableLocation(id);
        var props = new Dictionary<string, string>(StringComparer.Ordinal) { ["write.parquet.compression-codec"] = "zstd" };
        foreach (var (k, v) in properties ?? new Dictionary<string, string>()) props[k] = v;
        var metadata = new TableMetadata
        {
            FormatVersion = 2,
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
        var io = NewIo(id);
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
        if (locationMap is { Count: > 0 })
        {
            mappings.AddRange(locationMap.Select(m => (m.From, Path.GetFullPath(m.To))));
        }
        else
        {
            var tableRoot = Path.GetDirectoryName(Path.GetDirectoryName(path))!;
            mappings.Add((metadata.Location, tableRoot));
        }
        if (Catalog.TableExists(id)) throw Errors.AlreadyExists($"table '{id}' already exists");
        _mappings.Save(id, mappings);
        Catalog.CreateTableEntry(id, path);
        return LoadTable(id);
    }

    /// <summary>Loads a table; throws NotFound.</summary>
    public Table LoadTable(TableIdentifier id)
    {
        var ops = new TableOperations(Catalog, id, NewIo(id));
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
        var ops = new TableOperations(Catalog, id, decorate(NewIo(id)));
        var (metadata, location) = ops.Refresh();
        return new Table(ops, metadata, location);
    }

    /// <summary>Drops a table from the catalog; with <paramref name="purge"/> also deletes its files (never a registered table's).</summary>
    public void DropTable(TableIdentifier id, bool purge = false)
    {
        var table = LoadTable(id);
        var registered = _mappings.Load(id).Count > 0;
        Catalog.DropTableEntry(id);
        _mappings.Remove(id);
        if (purge && !registered)
        {
            var root = ((LocalFileIO)table.Io).Resolve(table.Metadata.Location);
            if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root, recursive: true);
        }
    }

    private LocalFileIO NewIo(TableIdentifier id)
    {
        var io = new LocalFileIO(Directory);
        foreach (var (from, to) in _mappings.Load(id)) io.AddMapping(from, to);
        return io;
    }
}
