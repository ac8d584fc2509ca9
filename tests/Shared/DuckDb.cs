using DuckDB.NET.Data;

namespace Floe.Tests.Shared;

/// <summary>DuckDB as an independent Parquet reader (test oracle).</summary>
internal static class DuckDb
{
    public static List<Dictionary<string, object?>> Query(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                if (value is Stream stream)
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    value = copy.ToArray();
                }
                row[reader.GetName(i)] = value;
            }
            rows.Add(row);
        }
        return rows;
    }

    public static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
}
