using System.Data.Common;
using System.Globalization;
using Floe.Core.Errors;

namespace Floe.Iceberg.Catalog.Jdbc;

/// <summary>
/// The Iceberg JDBC catalog layout (<c>iceberg_tables</c>, <c>iceberg_namespace_properties</c>) over any ADO.NET
/// provider: every statement, the namespace rules and the commit's compare-and-swap live here once, and a provider
/// supplies only how to open a connection and a transaction, how its failures read, and its
/// <see cref="JdbcDialect"/>. Registered tables' location mappings live in <c>floe_location_mappings</c> beside them,
/// a table JDBC-catalog readers never look at.
/// </summary>
public abstract class JdbcCatalog : ICatalog, ILocationMappingStore
{
    /// <summary>The property row that marks a namespace as existing even when it holds no table and no property.</summary>
    protected const string NamespaceExistsKey = "exists";

    /// <summary>The tables of the layout, each as a <c>CREATE TABLE IF NOT EXISTS</c> statement.</summary>
    protected static readonly IReadOnlyList<string> SchemaStatements =
    [
        """
        CREATE TABLE IF NOT EXISTS iceberg_tables (
          catalog_name VARCHAR(255) NOT NULL,
          table_namespace VARCHAR(255) NOT NULL,
          table_name VARCHAR(255) NOT NULL,
          metadata_location VARCHAR(1000),
          previous_metadata_location VARCHAR(1000),
          iceberg_type VARCHAR(5),
          PRIMARY KEY (catalog_name, table_namespace, table_name))
        """,
        """
        CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
          catalog_name VARCHAR(255) NOT NULL,
          namespace VARCHAR(255) NOT NULL,
          property_key VARCHAR(255),
          property_value VARCHAR(1000),
          PRIMARY KEY (catalog_name, namespace, property_key))
        """,
        """
        CREATE TABLE IF NOT EXISTS floe_location_mappings (
          catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL,
          from_prefix VARCHAR(1000) NOT NULL, to_directory VARCHAR(1000) NOT NULL,
          PRIMARY KEY (catalog_name, table_namespace, table_name, from_prefix))
        """,
    ];

    private readonly string _warehouse;
    private readonly string _tables;

    /// <summary>Sets up the shared logic for catalog <paramref name="name"/> over tables under <paramref name="warehouse"/>.</summary>
    protected JdbcCatalog(string name, string warehouse, JdbcDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(warehouse);
        ArgumentNullException.ThrowIfNull(dialect);
        Name = name;
        _warehouse = Path.GetFullPath(warehouse);
        _tables = dialect.TableRowFilter.Length == 0 ? "" : " AND " + dialect.TableRowFilter;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void CreateNamespace(string ns, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        TableIdentifier.ValidateNamespace(ns);
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
        using var cmd = Command(conn, $"SELECT DISTINCT namespace FROM iceberg_namespace_properties WHERE catalog_name = @c UNION SELECT DISTINCT table_namespace FROM iceberg_tables WHERE catalog_name = @c{_tables}");
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) result.Add(reader.GetString(0));
        return (IReadOnlyList<string>)[.. result];
    });

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> LoadNamespaceProperties(string ns) => Execute(conn =>
    {
        if (!NamespaceExists(conn, ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = Command(conn, "SELECT property_key, property_value FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @ns AND property_key <> @exists");
        Add(cmd, "@ns", ns);
        Add(cmd, "@exists", NamespaceExistsKey);
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
            Add(cmd, "@ns", ns);
            Add(cmd, "@k", key);
            Add(cmd, "@exists", NamespaceExistsKey);
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
        using (var count = Command(conn, $"SELECT COUNT(*) FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns{_tables}"))
        {
            Add(count, "@ns", ns);
            if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
            {
                throw Errors.InvalidArgument($"namespace '{ns}' is not empty; drop its tables first");
            }
        }
        using var cmd = Command(conn, "DELETE FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @ns");
        Add(cmd, "@ns", ns);
        cmd.ExecuteNonQuery();
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<TableIdentifier> ListTables(string? ns = null) => Execute(conn =>
    {
        using var cmd = Command(conn, ns is null
            ? $"SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = @c{_tables} ORDER BY 1, 2"
            : $"SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns{_tables} ORDER BY 1, 2");
        if (ns is not null) Add(cmd, "@ns", ns);
        using var reader = cmd.ExecuteReader();
        var result = new List<TableIdentifier>();
        while (reader.Read())
        {
            // Rows another engine wrote with names Floe cannot turn into folders are not Floe's to address: skipped.
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
        ArgumentNullException.ThrowIfNull(id);
        if (!NamespaceExists(conn, id.Namespace)) SetProperty(conn, id.Namespace, NamespaceExistsKey, "true");
        // ON CONFLICT DO NOTHING rather than a look first: two processes creating one table both get a clear answer.
        using var cmd = Command(conn, "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type) VALUES (@c, @ns, @t, @m, NULL, 'TABLE') ON CONFLICT DO NOTHING");
        AddTable(cmd, id);
        Add(cmd, "@m", metadataLocation);
        if (cmd.ExecuteNonQuery() == 0) throw Errors.AlreadyExists($"table '{id}' already exists");
        return 0;
    });

    /// <inheritdoc />
    /// <remarks>One conditional UPDATE: the row changes only while it still names the expected metadata.</remarks>
    public void SwapMetadataLocation(TableIdentifier id, string expectedMetadataLocation, string newMetadataLocation) => Execute(conn =>
    {
        using var cmd = Command(conn, $"UPDATE iceberg_tables SET metadata_location = @new, previous_metadata_location = @old WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t AND metadata_location = @old{_tables}");
        AddTable(cmd, id);
        Add(cmd, "@old", expectedMetadataLocation);
        Add(cmd, "@new", newMetadataLocation);
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
        using var cmd = Command(conn, $"UPDATE iceberg_tables SET table_namespace = @tns, table_name = @tt WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t{_tables}");
        AddTable(cmd, from);
        Add(cmd, "@tns", to.Namespace);
        Add(cmd, "@tt", to.Name);
        cmd.ExecuteNonQuery();
        return 0;
    });

    /// <inheritdoc />
    public void DropTableEntry(TableIdentifier id) => Execute(conn =>
    {
        using var cmd = Command(conn, $"DELETE FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t{_tables}");
        AddTable(cmd, id);
        if (cmd.ExecuteNonQuery() == 0) throw Errors.NotFound($"table '{id}' does not exist");
        return 0;
    });

    /// <inheritdoc />
    /// <remarks>Built by joining the identifier's checked parts under the warehouse and verified to stay inside it.</remarks>
    public string DefaultTableLocation(TableIdentifier id) => "file://" + WarehouseLayout.TableFolder(_warehouse, id);

    /// <inheritdoc />
    public void Save(TableIdentifier id, IReadOnlyList<(string From, string To)> mappings) => Execute(conn =>
    {
        ArgumentNullException.ThrowIfNull(mappings);
        using (var delete = Command(conn, "DELETE FROM floe_location_mappings WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t"))
        {
            AddTable(delete, id);
            delete.ExecuteNonQuery();
        }
        foreach (var (from, to) in mappings)
        {
            using var insert = Command(conn, "INSERT INTO floe_location_mappings VALUES (@c, @ns, @t, @f, @d)");
            AddTable(insert, id);
            Add(insert, "@f", from);
            Add(insert, "@d", to);
            insert.ExecuteNonQuery();
        }
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<(string From, string To)> Load(TableIdentifier id) => Execute(conn =>
    {
        var result = new List<(string, string)>();
        using var cmd = Command(conn, "SELECT from_prefix, to_directory FROM floe_location_mappings WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t");
        AddTable(cmd, id);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) result.Add((reader.GetString(0), reader.GetString(1)));
        return (IReadOnlyList<(string, string)>)result;
    });

    /// <inheritdoc />
    public void Remove(TableIdentifier id) => Save(id, Array.Empty<(string, string)>());

    /// <summary>Opens a connection to the catalog database, ready for statements.</summary>
    protected abstract DbConnection OpenConnection();

    /// <summary>Starts the transaction every catalog operation runs in (a provider picks its isolation and locking).</summary>
    protected abstract DbTransaction BeginTransaction(DbConnection connection);

    /// <summary>
    /// The <see cref="FloeException"/> a provider failure means (a corrupt file, a refused login, an unreachable
    /// server), or null to let it pass unchanged.
    /// </summary>
    protected abstract FloeException? Translate(DbException error);

    /// <summary>Runs <paramref name="body"/> on a fresh connection, inside a transaction unless <paramref name="transaction"/> is false.</summary>
    protected T Execute<T>(Func<DbConnection, T> body, bool transaction = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var conn = OpenConnection();
            if (!transaction) return body(conn);
            using var tx = BeginTransaction(conn);
            var result = body(conn);
            tx.Commit();
            return result;
        }
        catch (DbException e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Binds <paramref name="value"/> to the parameter <paramref name="name"/> (<c>@name</c>) of <paramref name="command"/>.</summary>
    protected static void Add(DbCommand command, string name, object value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    // Commands come from the connection, so a provider that tracks its open transaction attaches it to them.
    private DbCommand Command(DbConnection conn, string sql)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        Add(cmd, "@c", Name);
        return cmd;
    }

    private static void AddTable(DbCommand cmd, TableIdentifier id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Add(cmd, "@ns", id.Namespace);
        Add(cmd, "@t", id.Name);
    }

    private bool NamespaceExists(DbConnection conn, string ns)
    {
        using var cmd = Command(conn, $"SELECT 1 FROM iceberg_namespace_properties WHERE catalog_name = @c AND namespace = @ns UNION SELECT 1 FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns{_tables} LIMIT 1");
        Add(cmd, "@ns", ns);
        return cmd.ExecuteScalar() is not null;
    }

    private void SetProperty(DbConnection conn, string ns, string key, string value)
    {
        using var cmd = Command(conn, "INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (@c, @ns, @k, @v) ON CONFLICT (catalog_name, namespace, property_key) DO UPDATE SET property_value = excluded.property_value");
        Add(cmd, "@ns", ns);
        Add(cmd, "@k", key);
        Add(cmd, "@v", value);
        cmd.ExecuteNonQuery();
    }

    private string? FindMetadataLocation(DbConnection conn, TableIdentifier id)
    {
        using var cmd = Command(conn, $"SELECT metadata_location FROM iceberg_tables WHERE catalog_name = @c AND table_namespace = @ns AND table_name = @t{_tables}");
        AddTable(cmd, id);
        return cmd.ExecuteScalar() as string;
    }
}
