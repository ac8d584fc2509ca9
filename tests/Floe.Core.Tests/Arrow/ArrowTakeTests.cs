using Apache.Arrow;
using Floe.Core.Arrow;

namespace Floe.Core.Tests.Arrow;

public sealed class ArrowTakeTests
{
    [Test]
    public void TakeIntoReusedBuffersGivesTheSameRowsAsAFreshTake()
    {
        var random = new Random(7);
        var buffers = new TakeBuffers();
        // Lengths rise and fall so the reused buffers are both grown and larger than needed.
        foreach (var rows in new[] { 0, 1, 9, 1000, 17, 5000, 3, 64, 2500 })
        {
            var batch = RandomBatch(random, rows);
            var indices = new int[random.Next(rows * 2 + 1)];
            for (var i = 0; i < indices.Length; i++) indices[i] = rows == 0 ? 0 : random.Next(rows);
            if (rows == 0) indices = System.Array.Empty<int>();

            var fresh = ArrowTake.Take(batch, indices);
            var reused = ArrowTake.Take(batch, indices, buffers);

            Assert.That(reused.Length, Is.EqualTo(indices.Length));
            Assert.That(Values(reused), Is.EqualTo(Values(fresh)), $"{rows} rows, {indices.Length} taken");
            Assert.That(Values(reused), Is.EqualTo(Expected(batch, indices)));
        }
    }

    private static RecordBatch RandomBatch(Random random, int rows)
    {
        var longs = new Int64Array.Builder();
        var doubles = new DoubleArray.Builder();
        var strings = new StringArray.Builder();
        for (var i = 0; i < rows; i++)
        {
            if (random.Next(5) == 0) longs.AppendNull(); else longs.Append(random.NextInt64());
            doubles.Append(random.NextDouble());
            if (random.Next(4) == 0) strings.AppendNull(); else strings.Append(new string('x', random.Next(12)) + i);
        }
        var schema = new Schema.Builder()
            .Field(f => f.Name("l").DataType(Apache.Arrow.Types.Int64Type.Default).Nullable(true))
            .Field(f => f.Name("d").DataType(Apache.Arrow.Types.DoubleType.Default).Nullable(false))
            .Field(f => f.Name("s").DataType(Apache.Arrow.Types.StringType.Default).Nullable(true))
            .Build();
        return new RecordBatch(schema, new IArrowArray[] { longs.Build(), doubles.Build(), strings.Build() }, rows);
    }

    private static List<(long?, double?, string?)> Values(RecordBatch batch)
    {
        var l = (Int64Array)batch.Column(0);
        var d = (DoubleArray)batch.Column(1);
        var s = (StringArray)batch.Column(2);
        var values = new List<(long?, double?, string?)>(batch.Length);
        for (var i = 0; i < batch.Length; i++) values.Add((l.GetValue(i), d.GetValue(i), s.GetString(i)));
        return values;
    }

    private static List<(long?, double?, string?)> Expected(RecordBatch batch, int[] indices)
    {
        var all = Values(batch);
        var values = new List<(long?, double?, string?)>(indices.Length);
        foreach (var i in indices) values.Add(all[i]);
        return values;
    }
}
