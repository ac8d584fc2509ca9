using System.Data.Common;
using System.Net.Sockets;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog.Jdbc;
using Npgsql;

namespace Floe.Catalog.Postgres;

/// <summary>
/// A catalog in PostgreSQL with the tables and behaviour of Iceberg's JDBC catalog (<c>iceberg_tables</c> with its
/// <c>iceberg_type</c> column, <c>iceberg_namespace_properties</c>), so Spark's or PyIceberg's JDBC/SQL catalog
/// pointed at the same database sees the same tables. A commit is one compare-and-swap statement on
/// <c>metadata_location</c>; several processes on several machines may commit at once. The tables are created when
/// missing. The statements are <see cref="JdbcCatalog"/>'s; this class adds only the connection and the error reading.
/// </summary>
public sealed class PostgresCatalog : JdbcCatalog, IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _described;

    /// <summary>Connects to the catalog at <paramref name="uri"/> (<c>postgresql://…</c>) for tables under <paramref name="warehouse"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument (bad URI, wrong password), Io (unreachable server).</exception>
    public PostgresCatalog(string uri, string warehouse)
        : this(Connect(uri), warehouse)
    {
    }

    private PostgresCatalog((NpgsqlSlimDataSourceBuilder Builder, string Name) connection, string warehouse)
        : base(connection.Name, warehouse, JdbcDialect.WithViews)
    {
        _described = PostgresConnectionUri.Describe(connection.Builder.ConnectionStringBuilder);
        _source = connection.Builder.Build();
        Execute(conn =>
        {
            foreach (var sql in SchemaStatements) CreateIfMissing(conn, sql);
            return 0;
        }, transaction: false);
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();

    /// <inheritdoc />
    protected override DbConnection OpenConnection() => _source.OpenConnection();

    /// <inheritdoc />
    protected override DbTransaction BeginTransaction(DbConnection connection) => connection.BeginTransaction();

    /// <inheritdoc />
    protected override FloeException? Translate(DbException error) => error switch
    {
        PostgresException { SqlState: "28P01" or "28000" } e =>
            Errors.InvalidArgument($"catalog postgresql://{_described}: authentication failed ({e.MessageText})"),
        PostgresException { SqlState: "3D000" } e => Errors.NotFound($"catalog postgresql://{_described}: {e.MessageText}"),
        PostgresException => null,
        NpgsqlException e when e.InnerException is SocketException or IOException or TimeoutException || e.IsTransient =>
            new FloeException(FloeErrorCode.Io, $"catalog postgresql://{_described} is unreachable: {(e.InnerException ?? e).Message}", e),
        _ => null,
    };

    private static (NpgsqlSlimDataSourceBuilder, string) Connect(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var (connectionString, name) = PostgresConnectionUri.Parse(uri);
        return (new NpgsqlSlimDataSourceBuilder(connectionString), name);
    }

    private static void CreateIfMissing(DbConnection conn, string sql)
    {
        try
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is "23505" or "42P07")
        {
            // Another process created it at the same moment.
        }
    }
}
