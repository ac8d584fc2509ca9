using DuckDB.NET.Data;
using Floe.Core.Arrow;
using Floe.Formats.Output;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Application.Tests.Scanning;

/// <summary>
/// Pseudo-random nested data (structs, lists of structs, maps of lists, lists of lists; nulls at every level, several
/// row groups) written by DuckDB and read by Floe's Parquet reader: every value, as JSON, equals DuckDB's to_json.
/// </summary>
[TestFixture]
public sealed class NestedParquetRoundTripTests
{
    private static readonly string[] Columns = { "s", "l", "m", "ll" };

    [TestCase(0)]
    // The same shapes from another seed: the deep pass.
    [TestCase(7919, Category = TestTier.Deep)]
    public void Read_DuckDbNestedFile_EqualsDuckDbValues(int seed)
    {
        using var temp = new TempWarehouse();
        var path = Path.Combine(temp.Directory, "nested.parquet");
        System.IO.Directory.CreateDirectory(temp.Directory);
        Duck($"COPY ({Generator(seed)}) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000)");
        var expected = Expected(path);

        using var reader = ParquetDataReader.Open(new LocalFileIO(), path);
        var schema = reader.Projection;
        var seen = 0;
        var nonNull = new int[Columns.Length];
        foreach (var (batch, _) in reader.ReadAll())
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var i = (long)Floe.Core.Arrow.ArrowValues.Get(batch.Column(0), row, PrimitiveType.Long)!;
                for (var c = 0; c < Columns.Length; c++)
                {
                    var actual = NestedJson.Text(batch.Column(c + 1), row, schema.Fields[c + 1].Type);
                    Assert.That(actual, Is.EqualTo(expected[i][c]), $"row i={i}, column {Columns[c]}");
                    if (actual is not null) nonNull[c]++;
                }
                seen++;
            }
        }
        Assert.That(seen, Is.EqualTo(3000));
        Assert.That(nonNull, Has.All.GreaterThan(1000), "the generator should produce mostly non-null values");
    }

    [Test]
    public void Take_NestedColumnsOfDuckDbFile_KeepsEachTakenRowsValue()
    {
        using var temp = new TempWarehouse();
        var path = Path.Combine(temp.Directory, "nested.parquet");
        System.IO.Directory.CreateDirectory(temp.Directory);
        Duck($"COPY ({Generator(11)}) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000)");
        var expected = Expected(path);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path);
        var schema = reader.Projection;
        var random = new Random(5);
        foreach (var (batch, _) in reader.ReadAll())
        {
            // Rows in a random order with repeats, as filters, deletes and sorts take them.
            var indices = new int[batch.Length / 2];
            for (var k = 0; k < indices.Length; k++) indices[k] = random.Next(batch.Length);
            var taken = Floe.Core.Arrow.ArrowTake.Take(batch, indices);
            for (var row = 0; row < taken.Length; row++)
            {
                var i = (long)Floe.Core.Arrow.ArrowValues.Get(taken.Column(0), row, PrimitiveType.Long)!;
                for (var c = 0; c < Columns.Length; c++)
                {
                    Assert.That(NestedJson.Text(taken.Column(c + 1), row, schema.Fields[c + 1].Type), Is.EqualTo(expected[i][c]), $"row i={i}, column {Columns[c]}");
                }
            }
        }
    }

    [Test]
    public void Read_PrunedStructAndMissingChild_ReadsSelectedChildAndNulls()
    {
        using var temp = new TempWarehouse();
        var path = Path.Combine(temp.Directory, "nested.parquet");
        System.IO.Directory.CreateDirectory(temp.Directory);
        Duck($"COPY ({Generator(3)}) TO '{path}' (FORMAT parquet)");
        var expected = Expected(path, "CASE WHEN s IS NULL THEN NULL ELSE to_json(struct_pack(b := s.b, zz := NULL::INT))::VARCHAR END");

        Schema fileSchema;
        using (var probe = ParquetDataReader.Open(new LocalFileIO(), path)) fileSchema = probe.Projection;
        var s = fileSchema.Fields[1];
        var b = ((StructType)s.Type).Fields.Single(f => f.Name == "b");
        // A child the file lacks (added later by schema evolution) reads as nulls.
        var added = new NestedField(fileSchema.HighestFieldId + 1, "zz", false, PrimitiveType.Int);
        var projection = new Schema(0, new[] { fileSchema.Fields[0], s with { Type = new StructType(new[] { b, added }) } });
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, projection);
        foreach (var (batch, _) in reader.ReadAll())
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var i = (long)Floe.Core.Arrow.ArrowValues.Get(batch.Column(0), row, PrimitiveType.Long)!;
                Assert.That(NestedJson.Text(batch.Column(1), row, projection.Fields[1].Type), Is.EqualTo(expected[i][0]), $"row i={i}");
            }
        }
    }

    /// <summary>Deterministic pseudo-random rows: hash(i, k) stands in for a seeded generator.</summary>
    internal static string Generator(int seed) =>
        $"""
        SELECT i,
          CASE WHEN hash(i + {seed}, 1) % 5 = 0 THEN NULL ELSE struct_pack(
            a := CASE WHEN hash(i + {seed}, 2) % 4 = 0 THEN NULL ELSE (hash(i + {seed}, 3) % 1000)::INT END,
            b := CASE WHEN hash(i + {seed}, 4) % 4 = 0 THEN NULL ELSE 'v' || (hash(i + {seed}, 5) % 100)::VARCHAR END,
            c := CASE WHEN hash(i + {seed}, 6) % 3 = 0 THEN NULL ELSE
                 list_transform(range((hash(i + {seed}, 7) % 4)::BIGINT), x -> CASE WHEN (x + i) % 3 = 0 THEN NULL ELSE x * i END) END) END AS s,
          CASE WHEN hash(i + {seed}, 8) % 5 = 0 THEN NULL ELSE
            list_transform(range((hash(i + {seed}, 9) % 4)::BIGINT), x -> CASE WHEN (x + i) % 4 = 0 THEN NULL ELSE
              struct_pack(x := x + i, y := CASE WHEN x % 2 = 0 THEN NULL ELSE 'y' || x::VARCHAR END) END) END AS l,
          CASE WHEN hash(i + {seed}, 10) % 5 = 0 THEN NULL ELSE
            map_from_entries(list_transform(range((hash(i + {seed}, 11) % 3)::BIGINT), x -> struct_pack(k := 'k' || x::VARCHAR,
              v := CASE WHEN (x + i) % 3 = 0 THEN NULL ELSE [x, i] END))) END AS m,
          CASE WHEN hash(i + {seed}, 12) % 5 = 0 THEN NULL ELSE
            list_transform(range((hash(i + {seed}, 13) % 3)::BIGINT), x -> CASE WHEN x = 1 THEN NULL ELSE range(x + 1) END) END AS ll
        FROM range(3000) t(i) ORDER BY i
        """;

    private static Dictionary<long, string?[]> Expected(string path, params string[] expressions)
    {
        if (expressions.Length == 0) expressions = Columns.Select(c => $"to_json({c})::VARCHAR").ToArray();
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT i, {string.Join(", ", expressions)} FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<long, string?[]>();
        while (reader.Read())
        {
            var values = new string?[expressions.Length];
            for (var c = 0; c < values.Length; c++) values[c] = reader.IsDBNull(c + 1) ? null : reader.GetString(c + 1);
            result[reader.GetInt64(0)] = values;
        }
        return result;
    }

    private static void Duck(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
