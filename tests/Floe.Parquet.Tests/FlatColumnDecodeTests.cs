using Apache.Arrow;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet.Tests;

/// <summary>
/// The flat-column path decodes a row group's column chunks on several workers: every column of every row group must
/// land in its own slot with its own values, also when one reader decodes row group after row group.
/// </summary>
[TestFixture]
public sealed class FlatColumnDecodeTests
{
    private const int Columns = 9;
    private const int Rows = 5000;
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-pqo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // Column c holds c * 1e9 + row (longs), c * 1e9 + row + 0.5 (doubles) or "c:row" (strings), so a column decoded
    // into another's slot, or a row group's values into another's, shows.
    private static readonly Schema Wide = new(0, Enumerable.Range(0, Columns).Select(c =>
        new NestedField(c + 1, $"c{c}", false, (c % 3) switch { 0 => PrimitiveType.Long, 1 => PrimitiveType.Double, _ => PrimitiveType.String })).ToArray());

    private static RecordBatch Batch(int group)
    {
        var arrays = new IArrowArray[Columns];
        var fields = new List<Field>();
        for (int c = 0; c < Columns; c++)
        {
            long Value(int r) => (c * 1_000_000_000L) + ((long)group * Rows) + r;
            switch (c % 3)
            {
                case 0:
                    {
                        var b = new Int64Array.Builder();
                        for (int r = 0; r < Rows; r++) { b.Append(Value(r)); }
                        arrays[c] = b.Build();
                        fields.Add(new Field($"c{c}", Apache.Arrow.Types.Int64Type.Default, true));
                        break;
                    }
                case 1:
                    {
                        var b = new DoubleArray.Builder();
                        for (int r = 0; r < Rows; r++) { b.Append(Value(r) + 0.5); }
                        arrays[c] = b.Build();
                        fields.Add(new Field($"c{c}", Apache.Arrow.Types.DoubleType.Default, true));
                        break;
                    }
                default:
                    {
                        var b = new StringArray.Builder();
                        for (int r = 0; r < Rows; r++) { b.Append($"{c}:{Value(r)}"); }
                        arrays[c] = b.Build();
                        fields.Add(new Field($"c{c}", Apache.Arrow.Types.StringType.Default, true));
                        break;
                    }
            }
        }
        return new RecordBatch(new Apache.Arrow.Schema(fields, null), arrays, Rows);
    }

    private string WriteGroups(int groups)
    {
        var path = Path.Combine(_dir, "wide.parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, Wide, "{}", new ParquetWriterOptions { RowGroupRows = Rows });
        for (int g = 0; g < groups; g++)
        {
            using var batch = Batch(g);
            writer.Write(batch);
        }
        writer.Close();
        return path;
    }

    [Test]
    public void ReadRowGroup_ManyFlatColumns_EachColumnAndGroupKeepsItsValues()
    {
        var path = WriteGroups(3);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, Wide);
        Assert.That(reader.RowGroupCount, Is.EqualTo(3));
        // Twice over the groups: a reader reuses its page buffers from one row group to the next.
        for (int pass = 0; pass < 2; pass++)
        {
            for (int g = 0; g < 3; g++)
            {
                var batch = reader.ReadRowGroup(g).Batch;
                using var expected = Batch(g);
                Assert.That(batch.Length, Is.EqualTo(Rows));
                for (int c = 0; c < Columns; c++)
                {
                    var name = $"group {g} column c{c}";
                    switch (expected.Column(c))
                    {
                        case Int64Array e:
                            Same.Sequence(((Int64Array)batch.Column(c)).Values.ToArray(), e.Values.ToArray(), name);
                            break;
                        case DoubleArray e:
                            Same.Sequence(((DoubleArray)batch.Column(c)).Values.ToArray(), e.Values.ToArray(), name);
                            break;
                        case StringArray e:
                            var got = (StringArray)batch.Column(c);
                            Same.Sequence(Enumerable.Range(0, Rows).Select(r => got.GetString(r)), Enumerable.Range(0, Rows).Select(r => e.GetString(r)), name);
                            break;
                    }
                }
            }
        }
    }
}
