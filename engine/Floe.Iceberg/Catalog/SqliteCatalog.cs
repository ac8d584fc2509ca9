using System.Data.Common;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog.Jdbc;
using Microsoft.Data.Sqlite;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// The embedded default catalog: a SQLite file with the same tables as Iceberg's JDBC catalog
/// (<c>iceberg_tables</c>, <c>iceberg_namespace_properties</c>), so PyIceberg's SqlCatalog and Java's JdbcCatalog
/// can open it. Safe between threads and OS processes: every write runs in an IMMEDIATE transaction and
/// waits on a busy database instead of failing. The statements are <see cref="JdbcCatalog"/>'s.
/// </summary>
public sealed class SqliteCatalog : JdbcCatalog
{
    private readonly string _connectionString;
    private readonly string _databasePath;

    /// <summary>Opens (creating if needed) the catalog database <paramref name="databasePath"/> for tables under <paramref name="warehouse"/>.</summary>
    public SqliteCatalog(string databasePath, string warehouse, string name = "floe")
        : base(name, warehouse, JdbcDialect.TablesOnly)
    {
        SqliteNative.EnsureInitialized();
        _databasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(_databasePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
        Execute(conn =>
        {
            foreach (var sql in SchemaStatements) Run(conn, sql);
            return 0;
        });
    }

    /// <inheritdoc />
    protected override DbConnection OpenConnection()
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            conn.Open();
            Run(conn, "PRAGMA busy_timeout = 60000");
            return conn;
        }
        catch
        {
            conn.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>IMMEDIATE: the write lock is taken up front, so a read-then-write never fails halfway on a busy database.</remarks>
    protected override DbTransaction BeginTransaction(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);

    /// <inheritdoc />
    /// <remarks>SQLite's primary result codes: a damaged or foreign file is invalid data; the rest is the storage failing.</remarks>
    protected override FloeException? Translate(DbException error) => error is not SqliteException e ? null : (e.SqliteErrorCode & 0xFF) switch
    {
        26 => Errors.InvalidData(_databasePath, "not a SQLite catalog database"),
        11 => Errors.InvalidData(_databasePath, "the SQLite catalog database is corrupt"),
        _ => Errors.Io(_databasePath, new IOException(e.Message.ReplaceLineEndings(" "), e)),
    };

    private static void Run(DbConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
