using Floe.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// The embedded default catalog: a SQLite file with the same tables as Iceberg's JDBC catalog
/// (<c>iceberg_tables</c>, <c>iceberg_namespace_properties</c>), so PyIceberg's SqlCatalog and Java's JdbcCatalog
/// can open it. Safe between threads and OS processes: every write runs in an IMMEDIATE transaction and
/// waits on a busy database instead of failing.
/// </summary>
public sealed class SqliteCatalog : ICatalog
{
    private const string NamespaceExistsKey = "exists";
    private readonly string _connectionString;
    private readonly string _warehouse;
    private readonly string _databasePath;

    /// <summary>Opens (creating if needed) the catalog database <paramref name="databasePath"/> for tables under <paramref name="warehouse"/>.</summary>
    public SqliteCatalog(string databasePath, string warehouse, string name = "floe")
    {
        SqliteNative.EnsureInitialized();
        Name = name;
        _warehouse = Path.GetFullPath(warehouse);
        _databasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
        Execute(conn =>
        {
            Run(conn, """
                CREATE TABLE IF NOT EXISTS iceberg_tables (
                  catalog_name VARCHAR(255) NOT NULL,
                  table_namespace VARCHAR(255) NOT NULL,
                  table_name VARCHAR(255) NOT NULL,
                  metadata_location VARCHAR(1000),
                  previous_metadata_location VARCHAR(1000),
                  iceberg_type VARCHAR(5),
                  PRIMARY KEY (catalog_name, table_namespace, table_name))
                """);
            Run(conn, """
                CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
                  catalog_name VARCHAR(255) NOT NULL,
                  namespace VARCHAR(255) NOT NULL,
                  property_key VARCHAR(255),
                  property_value VARCHAR(1000),
                  PRIMARY KEY (catalog_name, namespace, property_key))
                """);
            return 0;
        });
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void CreateNamespace(string ns, IReadOnlyDictionary<string, string>? properties = null)
    {
        TableIdentifier.ValidateNamespace(ns);
        Execute(conn =>
        {
            if (NamespaceExists(conn, ns)) throw Errors.AlreadyExists($"namespace '{ns}' already exists");
            InsertProperty(conn, ns, NamespaceExistsKey, "true");
            foreach (var (k, v) in properties ?? new Dictionary<string, string>())
            {
                InsertProperty(conn, ns, k, v);
            }
            return 0;
        });
    }

    /// <inheritdoc />
    public bool NamespaceExists(string ns) => Execute(conn => NamespaceExists(conn, ns));

    /// <inheritdoc />
    public IReadOnlyList<string> ListNamespaces() => Execute(conn =>
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        using var cmd = Command(conn, "SELECT DISTINCT namespace FROM iceberg_namespace_properties WHERE catalog_name = $c UNION SELECT DISTINCT table_namespace FROM iceberg_tables WHERE catalog_name = $c");
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) result.Add(reader.GetString(0));
        return (IReadOnlyList<string>)result.ToList();
    });

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> LoadNamespaceProperties(string ns) => Execute(conn =>
    {
        if (!NamespaceExists(conn, ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = Command(conn, "SELECT property_key, property_value FROM iceberg_namespace_properties WHERE catalog_name = $c AND namespace = $ns AND property_key <> $exists");
        cmd.Parameters.AddWithValue("$ns", ns);
        cmd.Parameters.AddWithValue("$exists", NamespaceExistsKey);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) result[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        return (IReadOnlyDictionary<string, string>)result;
    });

    /// <inheritdoc />
    public IReadOnlyList<string> UpdateNamespaceProperties(string ns, IReadOnlyDictionary<string, string> updates, IReadOnlyList<string> removals) => Execute(conn =>
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(removals);
        if (!NamespaceExists(conn, ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        var missing = new List<string>();
        foreach (var key in removals)
        {
            using var cmd = Command(conn, "DELETE FROM iceberg_namespace_properties WHERE catalog_name = $c AND namespace = $ns AND property_key = $k AND property_key <> $exists");
            cmd.Parameters.AddWithValue("$ns", ns);
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$exists", NamespaceExistsKey);
            if (cmd.ExecuteNonQuery() == 0) missing.Add(key);
        }
        // The row that marks the namespace as existing must survive any update, so a table-less namespace stays.
        InsertProperty(conn, ns, NamespaceExistsKey, "true");
        foreach (var (k, v) in updates) InsertProperty(conn, ns, k, v);
        return (IReadOnlyList<string>)missing;
    });

    /// <inheritdoc />
    public void DropNamespace(string ns) => Execute(conn =>
    {
        if (!NamespaceExists(conn, ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        using (var count = Command(conn, "SELECT COUNT(*) FROM iceberg_tables WHERE catalog_name = $c AND table_namespace = $ns"))
        {
            count.Parameters.AddWithValue("$ns", ns);
            if (Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                throw Errors.InvalidArgument($"namespace '{ns}' is not empty; drop its tables first");
            }
        }
        using var cmd = Command(conn, "DELETE FROM iceberg_namespace_properties WHERE catalog_name = $c AND namespace = $ns");
        cmd.Parameters.AddWithValue("$ns", ns);
        cmd.ExecuteNonQuery();
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<TableIdentifier> ListTables(string? ns = null) => Execute(conn =>
    {
        using var cmd = Command(conn, ns is null
            ? "SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = $c ORDER BY 1, 2"
            : "SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = $c AND table_namespace = $ns ORDER BY 1, 2");
        if (ns is not null) cmd.Parameters.AddWithValue("$ns", ns);
        using var reader = cmd.ExecuteReader();
        var result = new List<TableIdentifier>();
        while (reader.Read())
        {
            // Rows another engine wrote with names Floe cannot turn into folders are not Floe's to address: skipped.
            var text = reader.GetString(0) + "." + reader.GetString(1);
            if (TableIdentifier.IsValid(text)) result.Add(new TableIdentifier(reader.GetString(0), reader.GetString(1)));
        }
        return (IReadOnlyList<TableIdentifier>)result;
    });

    /// <inheritdoc />
    public string LoadMetadataLocation(TableIdentifier id) => Execute(conn =>
        FindMetadataLocation(conn, id) ?? throw Errors.NotFound($"table '{id}' does not exist"));

    /// <inheritdoc />
    public bool TableExists(TableIdentifier id) => Execute(conn => FindMetadataLocation(conn, id) is not null);

    /// <inheritdoc />
    public void CreateTableEntry(TableIdentifier id, string metadataLocation) => Execute(conn =>
    {
        if (!NamespaceExists(conn, id.Namespace)) InsertProperty(conn, id.Namespace, NamespaceExistsKey, "true");
        if (FindMetadataLocation(conn, id) is not null) throw Errors.AlreadyExists($"table '{id}' already exists");
        using var cmd = Command(conn, "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES ($c, $ns, $t, $m, NULL, 'TABLE')");
        cmd.Parameters.AddWithValue("$ns", id.Namespace);
        cmd.Parameters.AddWithValue("$t", id.Name);
        cmd.Parameters.AddWithValue("$m", metadataLocation);
        cmd.ExecuteNonQuery();
        return 0;
    });

    /// <inheritdoc />
    public void SwapMetadataLocation(TableIdentifier id, string expectedMetadataLocation, string newMetadataLocation) => Execute(conn =>
    {
        using var cmd = Command(conn, "UPDATE iceberg_tables SET metadata_location = $new, previous_metadata_location = $old WHERE catalog_name = $c AND table_namespace = $ns AND table_name = $t AND metadata_location = $old");
        cmd.Parameters.AddWithValue("$ns", id.Namespace);
        cmd.Parameters.AddWithValue("$t", id.Name);
        cmd.Parameters.AddWithValue("$old", expectedMetadataLocation);
        cmd.Parameters.AddWithValue("$new", newMetadataLocation);
        if (cmd.ExecuteNonQuery() == 1) return 0;
        if (FindMetadataLocation(conn, id) is null) throw Errors.NotFound($"table '{id}' does not exist");
        throw Errors.CommitConflict($"table '{id}' was changed by a concurrent commit (expected metadata {expectedMetadataLocation})");
    });

    /// <inheritdoc />
    public void RenameTable(TableIdentifier from, TableIdentifier to) => Execute(conn =>
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (FindMetadataLocation(conn, from) is null) throw Errors.NotFound($"table '{from}' does not exist");
        if (FindMetadataLocation(conn, to) is not null) throw Errors.AlreadyExists($"table '{to}' already exists");
        if (!NamespaceExists(conn, to.Namespace)) throw Errors.NotFound($"namespace '{to.Namespace}' does not exist");
        using var cmd = Command(conn, "UPDATE iceberg_tables SET table_namespace = $tns, table_name = $tt WHERE catalog_name = $c AND table_namespace = $ns AND table_name = $t");
        cmd.Parameters.AddWithValue("$ns", from.Namespace);
        cmd.Parameters.AddWithValue("$t", from.Name);
        cmd.Parameters.AddWithValue("$tns", to.Namespace);
        cmd.Parameters.AddWithValue("$tt", to.Name);
        cmd.ExecuteNonQuery();
        return 0;
    });

    /// <inheritdoc />
    public void DropTableEntry(TableIdentifier id) => Execute(conn =>
    {
        using var cmd = Command(conn, "DELETE FROM iceberg_tables WHERE catalog_name = $c AND table_namespace = $ns AND table_name = $t");
        cmd.Parameters.AddWithValue("$ns", id.Namespace);
        cmd.Parameters.AddWithValue("$t", id.Name);
        if (cmd.ExecuteNonQuery() == 0) throw Errors.NotFound($"table '{id}' does not exist");
        return 0;
    });

    /// <inheritdoc />
    /// <remarks>Built by joining the identifier's checked parts under the warehouse and verified to stay inside it.</remarks>
    public string DefaultTableLocation(TableIdentifier id) => "file://" + WarehouseLayout.TableFolder(_warehouse, id);

    private T Execute<T>(Func<SqliteConnection, T> body)
    {
        try
        {
            return ExecuteUnchecked(body);
        }
        catch (SqliteException e)
        {
            throw DatabaseError(e);
        }
    }

    // SQLite's primary result codes: a damaged or foreign file is invalid data; the rest is the storage failing.
    private FloeException DatabaseError(SqliteException e) => (e.SqliteErrorCode & 0xFF) switch
    {
        26 => Errors.InvalidData(_databasePath, "not a SQLite catalog database"),
        11 => Errors.InvalidData(_databasePath, "the SQLite catalog database is corrupt"),
        _ => Errors.Io(_databasePath, new IOException(e.Message.ReplaceLineEndings(" "), e)),
    };

    private T ExecuteUnchecked<T>(Func<SqliteConnection, T> body)
    {
        using var conn = new SqliteConnection(_connectionString);
        conn.Open();
        Run(conn, "PRAGMA busy_timeout = 60000");
        using var tx = conn.BeginTransaction(deferred: false);
        var result = body(conn);
        tx.Commit();
        return result;
    }

    private SqliteCommand Command(SqliteConnection conn, string sql)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$c", Name);
        return cmd;
    }

    private static void Run(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private bool NamespaceExists(SqliteConnection conn, string ns)
    {
        using var cmd = Command(conn, "SELECT 1 FROM iceberg_namespace_properties WHERE catalog_name = $c AND namespace = $ns UNION SELECT 1 FROM iceberg_tables WHERE catalog_name = $c AND table_namespace = $ns LIMIT 1");
        cmd.Parameters.AddWithValue("$ns", ns);
        return cmd.ExecuteScalar() is not null;
    }

    private void InsertProperty(SqliteConnection conn, string ns, string key, string value)
    {
        using var cmd = Command(conn, "INSERT OR REPLACE INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES ($c, $ns, $k, $v)");
        cmd.Parameters.AddWithValue("$ns", ns);
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    private string? FindMetadataLocation(SqliteConnection conn, TableIdentifier id)
    {
        using var cmd = Command(conn, "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = $c AND table_namespace = $ns AND table_name = $t");
        cmd.Parameters.AddWithValue("$ns", id.Namespace);
        cmd.Parameters.AddWithValue("$t", id.Name);
        return cmd.ExecuteScalar() as string;
    }
}
