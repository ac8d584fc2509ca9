using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// Writing struct, list and map columns, nested in each other, with nulls at every level and empty lists and maps:
/// read back by Floe's reader and by DuckDB (an independent reader), value by value.
/// </summary>
[TestFixture]
public sealed class NestedWriteTests
{
    private static readonly Schema Nested = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "s", false, new StructType(new[]
        {
            new NestedField(10, "f0", false, PrimitiveType.Int),
            new NestedField(11, "f1", true, PrimitiveType.String),
            new NestedField(12, "f2", false, new StructType(new[] { new NestedField(13, "f0", false, PrimitiveType.Double) })),
        })),
        new NestedField(3, "l", false, new ListType(20, false, PrimitiveType.Long)),
        new NestedField(4, "ll", true, new ListType(21, false, new ListType(22, true, PrimitiveType.Int))),
        new NestedField(5, "m", false, new MapType(23, PrimitiveType.String, 24, false, PrimitiveType.Int)),
        new NestedField(6, "ls", false, new ListType(25, true, new StructType(new[]
        {
            new NestedField(26, "f0", false, PrimitiveType.String),
            new NestedField(27, "f1", false, new ListType(28, false, PrimitiveType.Int)),
        }))),
        new NestedField(7, "ms", false, new MapType(29, PrimitiveType.Int, 30, false, new StructType(new[]
        {
            new NestedField(31, "f0", false, PrimitiveType.Boolean),
        }))),
        new NestedField(8, "rs", true, new StructType(new[] { new NestedField(32, "f0", true, PrimitiveType.Long) })),
    });

    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-nested-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(1, 200, 1_000_000)]
    [TestCase(2, 3000, 500)]
    [TestCase(3, 5, 1_000_000)]
    public void RandomNestedRows_RoundTripThroughFloeAndDuckDb(int seed, int rows, int rowGroupRows)
    {
        var random = new Random(seed);
        var columns = Nested.Fields.Select(_ => new List<object?>()).ToList();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var field = Nested.Fields[c];
                columns[c].Add(c == 0 ? (long)r : Generate(random, field.Type, field.Required, 0));
            }
        }
        var path = Path.Combine(_dir, "nested.parquet");
        var options = new ParquetWriterOptions { RowGroupRows = rowGroupRows, PageBytes = 256 };
        ParquetFileMetrics metrics;
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, Nested, "{}", options))
        {
            var arrays = Nested.Fields.Select((f, c) => NestedArrowData.Build(ArrowSchemas.ToArrowType(f.Type), columns[c])).ToList();
            using var batch = new RecordBatch(ArrowSchemas.ToArrow(Nested), arrays, rows);
            // Two writes, the second from an offset, so slicing by rows is exercised too.
            var half = rows / 2;
            writer.Write(batch, 0, half);
            writer.Write(batch, half, rows - half);
            metrics = writer.Close();
        }

        var ours = new List<string>[columns.Count];
        for (var c = 0; c < ours.Length; c++) ours[c] = new List<string>();
        using (var reader = ParquetDataReader.Open(new LocalFileIO(), path))
        {
            foreach (var batch in reader.ReadAll())
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    var array = batch.Batch.Column(c);
                    for (var i = 0; i < array.Length; i++) ours[c].Add(NestedArrowData.Json(array, i));
                }
            }
        }
        var select = string.Join(", ", Nested.Fields.Select(f => $"to_json({f.Name}) AS {f.Name}"));
        var duck = DuckDb.Query($"SELECT {select} FROM read_parquet({DuckDb.Quote(path)}) t ORDER BY t.id");
        Assert.That(duck, Has.Count.EqualTo(rows));
        for (var c = 0; c < columns.Count; c++)
        {
            var name = Nested.Fields[c].Name;
            for (var r = 0; r < rows; r++)
            {
                var expected = NestedArrowData.Json(columns[c][r]);
                // NUnit (and the message) only for a difference.
                if (!Equals(ours[c][r], expected)) Assert.That(ours[c][r], Is.EqualTo(expected), $"Floe: {name} row {r}");
                var duckValue = (string?)duck[r][name] ?? "null";
                if (!string.Equals(duckValue, expected, StringComparison.Ordinal)) Assert.That(duckValue, Is.EqualTo(expected), $"DuckDB: {name} row {r}");
            }
        }
        AssertMetrics(columns, metrics);
    }

    [Test]
    public void SlicedNestedArrays_WriteTheSliceOnly()
    {
        // Producers across the C data interface hand over sliced arrays: struct children and list values are then
        // indexed from the parent's offset.
        var random = new Random(9);
        const int rows = 60, from = 7, length = 40;
        var columns = Nested.Fields.Select((f, c) => Enumerable.Range(0, rows).Select(r => c == 0 ? (object?)(long)r : Generate(random, f.Type, f.Required, 0)).ToList()).ToList();
        var arrays = Nested.Fields.Select((f, c) => ArrowArrayFactory.Slice(NestedArrowData.Build(ArrowSchemas.ToArrowType(f.Type), columns[c]), from, length)).ToList();
        var path = Path.Combine(_dir, "sliced.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, Nested, "{}"))
        {
            using var batch = new RecordBatch(ArrowSchemas.ToArrow(Nested), arrays, length);
            writer.Write(batch, 5, length - 5);
            writer.Close();
        }
        var select = string.Join(", ", Nested.Fields.Select(f => $"to_json({f.Name}) AS {f.Name}"));
        var duck = DuckDb.Query($"SELECT {select} FROM read_parquet({DuckDb.Quote(path)}) t ORDER BY t.id");
        Assert.That(duck, Has.Count.EqualTo(length - 5));
        for (var c = 0; c < columns.Count; c++)
        {
            for (var r = 0; r < duck.Count; r++)
            {
                var name = Nested.Fields[c].Name;
                Assert.That((string?)duck[r][name] ?? "null", Is.EqualTo(NestedArrowData.Json(columns[c][from + 5 + r])), $"{name} row {r}");
            }
        }
    }

    [Test]
    public void NestedFields_CarryIcebergFieldIdsOnEveryNamedNode()
    {
        var path = WriteRows(1);
        var schema = DuckDb.Query($"SELECT name, field_id FROM parquet_schema({DuckDb.Quote(path)})");
        var ids = schema.Where(r => r["field_id"] is not null).Select(r => Convert.ToInt32(r["field_id"], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var expected = new HashSet<int>(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 });
        Assert.That(ids, Is.EquivalentTo(expected));
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path);
        Assert.That(reader.FileSchema.Fields.Select(f => f.Type.ToString()), Is.EqualTo(Nested.Fields.Select(f => f.Type.ToString())));
    }

    [Test]
    public void RequiredNestedValueHoldingNull_IsRefusedNamingTheField()
    {
        var path = Path.Combine(_dir, "bad.parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, Nested, "{}");
        var values = new List<object?>[Nested.Fields.Count];
        var random = new Random(5);
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = new List<object?> { c == 0 ? 0L : Generate(random, Nested.Fields[c].Type, true, 3) };
        }
        values[7][0] = new object?[] { null }; // rs.f0 is required
        var arrays = Nested.Fields.Select((f, c) => NestedArrowData.Build(ArrowSchemas.ToArrowType(f.Type), values[c])).ToList();
        using var batch = new RecordBatch(ArrowSchemas.ToArrow(Nested), arrays, 1);
        var e = Assert.Throws<FloeException>(() => writer.Write(batch))!;
        Assert.That(e.Message, Does.Contain("rs.f0"));
    }

    private string WriteRows(int seed)
    {
        var random = new Random(seed);
        var path = Path.Combine(_dir, "n" + seed + ".parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, Nested, "{}");
        var arrays = Nested.Fields.Select((f, c) => NestedArrowData.Build(ArrowSchemas.ToArrowType(f.Type),
            Enumerable.Range(0, 10).Select(r => c == 0 ? (object?)(long)r : Generate(random, f.Type, f.Required, 0)).ToList())).ToList();
        using var batch = new RecordBatch(ArrowSchemas.ToArrow(Nested), arrays, 10);
        writer.Write(batch);
        writer.Close();
        return path;
    }

    /// <summary>Value counts count level slots, null counts the slots without a value; bounds only outside lists and maps.</summary>
    private static void AssertMetrics(List<List<object?>> columns, ParquetFileMetrics metrics)
    {
        long slots = 0, present = 0;
        int? min = null, max = null;
        foreach (var v in columns[2]) // l: list<long>
        {
            if (v is List<object?> { Count: > 0 } list)
            {
                slots += list.Count;
                present += list.Count(x => x is not null);
            }
            else
            {
                slots++;
            }
        }
        foreach (var v in columns[1]) // s.f0
        {
            if (v is object?[] { } row && row[0] is int x)
            {
                min = min is null ? x : Math.Min(min.Value, x);
                max = max is null ? x : Math.Max(max.Value, x);
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(metrics.ValueCounts[20], Is.EqualTo(slots));
            Assert.That(metrics.NullValueCounts[20], Is.EqualTo(slots - present));
            foreach (var id in new[] { 20, 22, 23, 24, 26, 28, 31 })
            {
                Assert.That(metrics.LowerBounds.ContainsKey(id) || metrics.UpperBounds.ContainsKey(id), Is.False, $"bounds for {id}");
            }
            Assert.That(metrics.LowerBounds[10], Is.EqualTo(min));
            Assert.That(metrics.UpperBounds[10], Is.EqualTo(max));
            Assert.That(metrics.ValueCounts[32], Is.EqualTo(columns[7].Count));
        });
    }

    /// <summary>A random value: null one time in five where allowed, lists and maps of 0 to 3 entries (unique keys).</summary>
    private static object? Generate(Random random, IcebergType type, bool required, int depth)
    {
        if (!required && random.Next(5) == 0) return null;
        switch (type)
        {
            case PrimitiveType p:
                return p.Id switch
                {
                    Floe.Core.Types.TypeId.Int => random.Next(-1000, 1000),
                    Floe.Core.Types.TypeId.Long => (long)random.Next() * random.Next(1, 1000),
                    Floe.Core.Types.TypeId.Double => random.Next(-100, 100) + 0.5,
                    Floe.Core.Types.TypeId.Boolean => random.Next(2) == 1,
                    Floe.Core.Types.TypeId.String => "v" + random.Next(50),
                    _ => throw new NotSupportedException(p.ToString()),
                };
            case StructType s:
                return s.Fields.Select(f => Generate(random, f.Type, f.Required, depth + 1)).ToArray();
            case ListType l:
                {
                    var list = new List<object?>();
                    var n = random.Next(4);
                    for (var i = 0; i < n; i++) list.Add(Generate(random, l.ElementType, l.ElementRequired, depth + 1));
                    return list;
                }
            case MapType m:
                {
                    var map = new List<KeyValuePair<object, object?>>();
                    var n = random.Next(4);
                    var seen = new HashSet<object>();
                    for (var i = 0; i < n; i++)
                    {
                        var key = Generate(random, m.KeyType, true, depth + 1)!;
                        if (!seen.Add(key)) continue;
                        map.Add(new(key, Generate(random, m.ValueType, m.ValueRequired, depth + 1)));
                    }
                    return map;
                }
            default:
                throw new NotSupportedException(type.ToString());
        }
    }
}
