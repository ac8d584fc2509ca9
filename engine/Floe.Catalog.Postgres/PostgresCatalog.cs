using System.Net.Sockets;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Npgsql;

namespace Floe.Catalog.Postgres;

/// <summary>
/// A catalog in PostgreSQL with the tables and behaviour of Iceberg's JDBC catalog (<c>iceberg_tables</c> with its
/// <c>iceberg_type</c> column, <c>iceberg_namespace_properties</c>), so Spark's or PyIceberg's JDBC/SQL catalog
/// pointed at the same database sees the same tables. A commit is one compare-and-swap statement on
/// <c>metadata_location</c>; several processes on several machines may commit at once. The tables are created when
/// missing. Registered tables' location mappings live in <c>floe_location_mappings</c> beside them.
/// </summary>
public sealed class PostgresCatalog : ICatalog, ILocationMappingStore, IDisposable
{
    private const string NamespaceExistsKey = "exists";
    private const string TableType = "(iceberg_type = 'TABLE' OR iceberg_type IS NULL)";

    private readonly NpgsqlDataSource _source;
    private readonly string _warehouse;
    private readonly string _described;

    /// <summary>Connects to the catalog at <paramref name="uri"/> (<c>postgresql://…</c>) for tables under <paramref name="warehouse"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument (bad URI, wrong password), Io (unreachable server).</exception>
    public PostgresCatalog(string uri, string warehouse)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(warehouse);
        var (connectionString, name) = PostgresConnectionUri.Parse(uri);
        Name = name;
        _warehouse = Path.GetFullPath(warehouse);
        var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
        _described = PostgresConnectionUri.Describe(builder.ConnectionStringBuilder);
        _source = builder.Build();
        Execute(conn =>
        {
            CreateIfMissing(conn, """
                CREATE TABLE IF NOT EXISTS iceberg_tables (
                  catalog_name VARCHAR(255) NOT NULL,
                  table_namespace VARCHAR(255) NOT NULL,
                  table_name VARCHAR(255) NOT NULL,
                  metadata_location VARCHAR(1000),
                  previous_metadata_location VARCHAR(1000),
                  iceberg_type VARCHAR(5),
                  PRIMARY KEY (catalog_name, table_namespace, table_name))
                """);
            CreateIfMissing(conn, """
                CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
                  catalog_name VARCHAR(255) NOT NULL,
                  namespace VARCHAR(255) NOT NULL,
                  property_key VARCHAR(255),
                  property_value VARCHAR(1000),
                  PRIMARY KEY (catalog_name, namespace, property_key))
                """);
            CreateIfMissing(conn, """
                CREATE TABLE IF NOT EXISTS floe_location_mappings (
                  catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL,
                  from_prefix VARCHAR(1000) NOT NULL, to_directory VARCHAR(1000) NOT NULL,
                  PRIMARY KEY (catalog_name, table_namespace, table_name, from_prefix))
                """);
            return 0;
        }, transaction: false);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void CreateNamespace(string ns, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        _ = new TableIdentifier(ns, "x");
        Execute(conn =>
        {
            if (NamespaceExists(conn, ns)) throw Errors.AlreadyExists($"namespace '{ns}' already exists");
            SetProperty(conn, ns, NamespaceExistsKey, "true");
            foreach (var (k, v) in properties ?? new Dictionary<string, string>()) SetProperty(conn, ns, k, v);
            return 0;
        });
    }

    /// <inheritdoc />
    public bool NamespaceExists(string ns) => Execute(conn => NamespaceExists(conn, ns));

    /// <inheritdoc />
    public IReadOnlyList<string> ListNamespaces() => Execute(conn =>
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        using var cmd = Command(conn, $"SELECT DISTINCT namespace FROM iceberg_namespace_properties WHERE catalog_name = @c UNION SELECT DISTINCT table_namespace FROM iceberg_tables WHERE catalog_name = @c AND {TableType}");
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) result.Add(reader.GetString(0));
        return (IReadOnlyList<string>)result.ToList();
    });

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> LoadNamespaceProperties(string ns) => Execute(conn =>
    {
        if (!NamespaceExists(conn, ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = Command(conn, "SELECT property_key, property_value FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @ns AND property_key <> @exists");
        cmd.Parameters.AddWithValue("ns", ns);
        cmd.Parameters.AddWithValue("exists", NamespaceExistsKey);
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
            using var cmd = Command(conn, "DELETE FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @ns AND property_key = @k AND property_key <> @exists");
            cmd.Parameters.AddWithValue("ns", ns);
            cmd.Parameters.AddWithValue("k", key);
            cmd.Parameters.AddWithValue("exists", NamespaceExistsKey);
            if (cmd.ExecuteNonQuery() == 0) missing.Add(key);
        }
        // The row that marks the namespace as existing must survive any update, so a table-less namespace stays.
        SetProperty(conn, ns, NamespaceExistsKey, "true");
        foreach (var (k, v) in updates) SetProperty(conn, ns, k, v);
        return (IReadOnlyList<string>)missing;
    });

    /// <inheritdoc />
    public void DropNamespace(string ns) => Execute(conn =>
    {
        if (!NamespaceExists(conn, ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        using (var count = Command(conn, $"SELECT COUNT(*) FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns AND {TableType}"))
        {
            count.Parameters.AddWithValue("ns", ns);
            if ((long)count.ExecuteScalar()! > 0) throw Errors.InvalidArgument($"namespace '{ns}' is not empty; drop its tables first");
        }
        using var cmd = Command(conn, "DELETE FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @ns");
        cmd.Parameters.AddWithValue("ns", ns);
        cmd.ExecuteNonQuery();
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<TableIdentifier> ListTables(string? ns = null) => Execute(conn =>
    {
        using var cmd = Command(conn, ns is null
            ? $"SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = @c AND {TableType} ORDER BY 1, 2"
            : $"SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns AND {TableType} ORDER BY 1, 2");
        if (ns is not null) cmd.Parameters.AddWithValue("ns", ns);
        using var reader = cmd.ExecuteReader();
        var result = new List<TableIdentifier>();
        while (reader.Read())
        {
            // Rows other engines wrote with names Floe cannot turn into folders are not Floe's to address.
            if (TableIdentifier.IsValid(reader.GetString(0) + "." + reader.GetString(1))) result.Add(new TableIdentifier(reader.GetString(0), reader.GetString(1)));
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
        if (!NamespaceExists(conn, id.Namespace)) SetProperty(conn, id.Namespace, NamespaceExistsKey, "true");
        using var cmd = Command(conn, "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES (@c, @ns, @t, @m, NULL, 'TABLE') ON CONFLICT DO NOTHING");
        cmd.Parameters.AddWithValue("ns", id.Namespace);
        cmd.Parameters.AddWithValue("t", id.Name);
        cmd.Parameters.AddWithValue("m", metadataLocation);
        if (cmd.ExecuteNonQuery() == 0) throw Errors.AlreadyExists($"table '{id}' already exists");
        return 0;
    });

    /// <inheritdoc />
    public void SwapMetadataLocation(TableIdentifier id, string expectedMetadataLocation, string newMetadataLocation) => Execute(conn =>
    {
        using var cmd = Command(conn, $"UPDATE iceberg_tables SET metadata_location = @new, previous_metadata_location = @old WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t AND metadata_location = @old AND {TableType}");
        cmd.Parameters.AddWithValue("ns", id.Namespace);
        cmd.Parameters.AddWithValue("t", id.Name);
        cmd.Parameters.AddWithValue("old", expectedMetadataLocation);
        cmd.Parameters.AddWithValue("new", newMetadataLocation);
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
        using var cmd = Command(conn, $"UPDATE iceberg_tables SET table_namespace = @tns, table_name = @tt WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t AND {TableType}");
        cmd.Parameters.AddWithValue("ns", from.Namespace);
        cmd.Parameters.AddWithValue("t", from.Name);
        cmd.Parameters.AddWithValue("tns", to.Namespace);
        cmd.Parameters.AddWithValue("tt", to.Name);
        cmd.ExecuteNonQuery();
        return 0;
    });

    /// <inheritdoc />
    public void DropTableEntry(TableIdentifier id) => Execute(conn =>
    {
        using var cmd = Command(conn, $"DELETE FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t AND {TableType}");
        cmd.Parameters.AddWithValue("ns", id.Namespace);
        cmd.Parameters.AddWithValue("t", id.Name);
        if (cmd.ExecuteNonQuery() == 0) throw Errors.NotFound($"table '{id}' does not exist");
        return 0;
    });

    /// <inheritdoc />
    public string DefaultTableLocation(TableIdentifier id) => "file://" + WarehouseLayout.TableFolder(_warehouse, id);

    /// <inheritdoc />
    public void Save(TableIdentifier id, IReadOnlyList<(string From, string To)> mappings) => Execute(conn =>
    {
        using (var delete = MappingCommand(conn, "DELETE FROM floe_location_mappings WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t", id))
        {
            delete.ExecuteNonQuery();
        }
        foreach (var (from, to) in mappings)
        {
            using var insert = MappingCommand(conn, "INSERT INTO floe_location_mappings VALUES (@c, @ns, @t, @f, @d)", id);
            insert.Parameters.AddWithValue("f", from);
            insert.Parameters.AddWithValue("d", to);
            insert.ExecuteNonQuery();
        }
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<(string From, string To)> Load(TableIdentifier id) => Execute(conn =>
    {
        var result = new List<(string, string)>();
        using var cmd = MappingCommand(conn, "SELECT from_prefix, to_directory FROM floe_location_mappings WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t", id);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) result.Add((reader.GetString(0), reader.GetString(1)));
        return (IReadOnlyList<(string, string)>)result;
    });

    /// <inheritdoc />
    public void Remove(TableIdentifier id) => Save(id, Array.Empty<(string, string)>());

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();

    private T Execute<T>(Func<NpgsqlConnection, T> body, bool transaction = true)
    {
        try
        {
            using var conn = _source.OpenConnection();
            if (!transaction) return body(conn);
            using var tx = conn.BeginTransaction();
            var result = body(conn);
            tx.Commit();
            return result;
        }
        catch (PostgresException e) when (e.SqlState is "28P01" or "28000")
        {
            throw Errors.InvalidArgument($"catalog postgresql://{_described}: authentication failed ({e.MessageText})");
        }
        catch (PostgresException e) when (e.SqlState == "3D000")
        {
            throw Errors.NotFound($"catalog postgresql://{_described}: {e.MessageText}");
        }
        catch (NpgsqlException e) when (e is not PostgresException && (e.InnerException is SocketException or IOException or TimeoutException || e.IsTransient))
        {
            throw new FloeException(FloeErrorCode.Io, $"catalog postgresql://{_described} is unreachable: {(e.InnerException ?? e).Message}", e);
        }
    }

    private NpgsqlCommand Command(NpgsqlConnection conn, string sql)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("c", Name);
        return cmd;
    }

    private NpgsqlCommand MappingCommand(NpgsqlConnection conn, string sql, TableIdentifier id)
    {
        var cmd = Command(conn, sql);
        cmd.Parameters.AddWithValue("ns", id.Namespace);
        cmd.Parameters.AddWithValue("t", id.Name);
        return cmd;
    }

    private static void CreateIfMissing(NpgsqlConnection conn, string sql)
    {
        try
        {
            using var cmd = new NpgsqlCommand(sql, conn);
            cmd.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is "23505" or "42P07")
        {
            // Another process created it at the same moment.
        }
    }

    private bool NamespaceExists(NpgsqlConnection conn, string ns)
    {
        using var cmd = Command(conn, $"SELECT 1 FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @ns UNION SELECT 1 FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns AND {TableType} LIMIT 1");
        cmd.Parameters.AddWithValue("ns", ns);
        return cmd.ExecuteScalar() is not null;
    }

    private void SetProperty(NpgsqlConnection conn, string ns, string key, string value)
    {
        using var cmd = Command(conn, "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (@c, @ns, @k, @v) ON CONFLICT (catalog_name, namespace, property_key) DO UPDATE SET property_value = EXCLUDED.property_value");
        cmd.Parameters.AddWithValue("ns", ns);
        cmd.Parameters.AddWithValue("k", key);
        cmd.Parameters.AddWithValue("v", value);
        cmd.ExecuteNonQuery();
    }

    private string? FindMetadataLocation(NpgsqlConnection conn, TableIdentifier id)
    {
        using var cmd = Command(conn, $"SELECT metadata_location FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t AND {TableType}");
        cmd.Parameters.AddWithValue("ns", id.Namespace);
        cmd.Parameters.AddWithValue("t", id.Name);
        return cmd.ExecuteScalar() as string;
    }
}
