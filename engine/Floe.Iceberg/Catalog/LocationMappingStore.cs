using Microsoft.Data.Sqlite;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// Remembers, per registered table, which foreign location prefixes (<c>s3a://bucket/t</c>) map to which local
/// folders. Kept in its own table of the catalog database so JDBC-catalog readers are not disturbed by it.
/// </summary>
internal sealed class LocationMappingStore : ILocationMappingStore
{
    private readonly string _connectionString;
    private readonly string _catalogName;

    public LocationMappingStore(string databasePath, string catalogName)
    {
        SqliteNative.EnsureInitialized();
        _catalogName = catalogName;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 60 }.ToString();
        Run(conn =>
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE IF NOT EXISTS floe_location_mappings (
                  catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL,
                  from_prefix VARCHAR(1000) NOT NULL, to_directory VARCHAR(1000) NOT NULL,
                  PRIMARY KEY (catalog_name, table_namespace, table_name, from_prefix))
                """;
            cmd.ExecuteNonQuery();
        });
    }

    public void Save(TableIdentifier id, IReadOnlyList<(string From, string To)> mappings) => Run(conn =>
    {
        using (var delete = Command(conn, "DELETE FROM floe_location_mappings WHERE catalog_name = $c AND table_namespace = $ns AND table_name = $t", id))
        {
            delete.ExecuteNonQuery();
        }
        foreach (var (from, to) in mappings)
        {
            using var insert = Command(conn, "INSERT INTO floe_location_mappings VALUES ($c, $ns, $t, $f, $d)", id);
            insert.Parameters.AddWithValue("$f", from);
            insert.Parameters.AddWithValue("$d", to);
            insert.ExecuteNonQuery();
        }
    });

    public IReadOnlyList<(string From, string To)> Load(TableIdentifier id)
    {
        var result = new List<(string, string)>();
        Run(conn =>
        {
            using var cmd = Command(conn, "SELECT from_prefix, to_directory FROM floe_location_mappings WHERE catalog_name = $c AND table_namespace = $ns AND table_name = $t", id);
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) result.Add((reader.GetString(0), reader.GetString(1)));
        });
        return result;
    }

    public void Remove(TableIdentifier id) => Save(id, Array.Empty<(string, string)>());

    private SqliteCommand Command(SqliteConnection conn, string sql, TableIdentifier id)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$c", _catalogName);
        cmd.Parameters.AddWithValue("$ns", id.Namespace);
        cmd.Parameters.AddWithValue("$t", id.Name);
        return cmd;
    }

    private void Run(Action<SqliteConnection> body)
    {
        using var conn = new SqliteConnection(_connectionString);
        conn.Open();
        using var tx = conn.BeginTransaction(deferred: false);
        body(conn);
        tx.Commit();
    }
}
