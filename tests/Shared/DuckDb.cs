using DuckDB.NET.Data;

namespace Floe.Tests.Shared;

/// <summary>DuckDB as an independent Parquet reader (test oracle).</summary>
internal static class DuckDb
{
    // One in-memory database a thread for the whole run: opening one took 15-40 ms, as long as most queries here
    // (about 270 a run of the Parquet and Iceberg suites). The queries only read files, so nothing carries over
    // between them but DuckDB's caches, and its file cache is off: a file rewritten at the same path is read anew.
    [ThreadStatic]
    private static DuckDBConnection? t_connection;

    private static DuckDBConnection Connection()
    {
        if (t_connection is null)
        {
            var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using var setting = connection.CreateCommand();
            setting.CommandText = "SET enable_external_file_cache = false";
            setting.ExecuteNonQuery();
            t_connection = connection;
        }
        return t_connection;
    }

    public static List<Dictionary<string, object?>> Query(string sql)
    {
        using var command = Connection().CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        // The names once, not a call per cell: results of a few hundred thousand rows are read whole.
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++) names[i] = reader.GetName(i);
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                if (value is Stream stream)
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    value = copy.ToArray();
                }
                row[names[i]] = value;
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Each row of <paramref name="sql"/>'s result, as the reader positioned on it, for typed reads
    /// (<c>GetInt64</c>, <c>GetDouble</c>): <see cref="Query"/> boxes every cell into a dictionary a row, tens of MB of
    /// garbage for a result of 10^5 rows. Enumerate to the end (or dispose) to close it.
    /// </summary>
    public static IEnumerable<System.Data.Common.DbDataReader> Rows(string sql)
    {
        using var command = Connection().CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return reader;
    }

    /// <summary>
    /// Whether cell <paramref name="ordinal"/> of a row from <see cref="Rows"/> is <paramref name="expected"/> (null: SQL
    /// NULL) and of type <typeparamref name="T"/>: what <c>Equals(Query(sql)[r][name], expected)</c> decides, unboxed.
    /// </summary>
    public static bool Holds<T>(System.Data.Common.DbDataReader row, int ordinal, T? expected)
        where T : struct, IEquatable<T> =>
        row.IsDBNull(ordinal)
            ? expected is null
            : expected is { } e && row.GetFieldType(ordinal) == typeof(T) && row.GetFieldValue<T>(ordinal).Equals(e);

    public static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
}
