using System.Globalization;
using DuckDB.NET.Data;
using Floe.Application.Ingest;
using Floe.Application.TrainingSets;
using Floe.Tests.Shared;
using NUnit.Framework;
using static Floe.Application.Tests.TrainingSets.TrainingSetFixture;

namespace Floe.Application.Tests.TrainingSets;

/// <summary>
/// DuckDB's <c>ASOF LEFT JOIN</c> (an independent engine, reading the same CSV files) as the oracle. Feature times
/// are made unique per entity, since DuckDB picks any row among ties.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TrainingSetDuckDbOracleTests
{
    [TestCase(7)]
    // The same join from another seed: the deep pass.
    [TestCase(8, Category = TestTier.Deep)]
    public void Build_EqualsDuckDbAsofJoin(int seed)
    {
        using var w = new TempWarehouse();
        var random = new Random(seed);
        var lines = TableACsv(random, 3000).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var seen = new HashSet<string>();
        var unique = new List<string> { lines[0] };
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (seen.Add(cells[0] + "|" + cells[1] + "|" + cells[2])) unique.Add(line);
        }
        var features = w.WriteFile("a.csv", string.Join('\n', unique) + "\n");
        w.Tables.Create("features.a", SchemaA, "day(ts)");
        w.Ingest.Ingest("features.a", features, new IngestOptions());
        var spine = w.WriteFile("spine.csv", SpineCsv(random, 2000));
        var output = Path.Combine(w.Directory, "out.parquet");

        new TrainingSetService(w.Warehouse).Build(new TrainingSetRequest
        {
            SpinePath = spine,
            Features = [FeatureSelection.Parse("features.a")],
            OutputPath = output,
        });

        var ours = ReadParquet(output).ToDictionary(r => long.Parse(r["label_id"]!, CultureInfo.InvariantCulture));
        var oracle = DuckDb($$"""
            SET TimeZone = 'UTC';
            SELECT s.label_id, f.f_double, f.f_long, f.f_str, s.ts IS NULL
            FROM read_csv('{{spine}}', header = true, types = {'ts': 'TIMESTAMPTZ', 'acct': 'BIGINT', 'user': 'VARCHAR'}) s
            ASOF LEFT JOIN read_csv('{{features}}', header = true, types = {'ts': 'TIMESTAMPTZ', 'acct': 'BIGINT', 'user': 'VARCHAR', 'f_str': 'VARCHAR', 'f_double': 'DOUBLE', 'f_long': 'BIGINT'}) f
              ON s.user = f.user AND s.acct = f.acct AND s.ts >= f.ts
            ORDER BY s.label_id
            """);
        Assert.That(oracle, Has.Count.EqualTo(ours.Count));
        var matched = 0;
        foreach (var row in oracle)
        {
            var mine = ours[(long)row[0]!];
            if ((bool)row[4]!)
            {
                // DuckDB's ASOF LEFT JOIN pairs a NULL spine time with some feature row; a row with no time gets none here.
                Assert.That(mine["f_long"] ?? mine["f_double"] ?? mine["f_str"], Is.Null, $"label_id {row[0]} has no time");
                continue;
            }
            Assert.That(mine["f_double"] is null ? null : (double?)double.Parse(mine["f_double"]!, CultureInfo.InvariantCulture), Is.EqualTo(row[1]), $"label_id {row[0]} f_double");
            Assert.That(mine["f_long"] is null ? null : (long?)long.Parse(mine["f_long"]!, CultureInfo.InvariantCulture), Is.EqualTo(row[2]), $"label_id {row[0]} f_long");
            Assert.That(mine["f_str"], Is.EqualTo(row[3]), $"label_id {row[0]} f_str");
            if (row[2] is not null) matched++;
        }
        Assert.That(matched, Is.GreaterThan(oracle.Count / 4).And.LessThan(oracle.Count));
    }

    private static List<object?[]> DuckDb(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var statements = sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < statements.Length - 1; i++)
        {
            using var set = connection.CreateCommand();
            set.CommandText = statements[i];
            set.ExecuteNonQuery();
        }
        using var command = connection.CreateCommand();
        command.CommandText = statements[^1];
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var c = 0; c < row.Length; c++) row[c] = reader.IsDBNull(c) ? null : reader.GetValue(c);
            rows.Add(row);
        }
        return rows;
    }
}
