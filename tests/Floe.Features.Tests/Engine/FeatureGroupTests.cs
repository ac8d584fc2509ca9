using Apache.Arrow;
using Floe.Features.Definitions;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Engine;

public sealed class FeatureGroupTests
{
    private static object? SourceValue(TestEvents ev, string column, int row) => column switch
    {
        "amount" => ev.Amount[row],
        "qty" => ev.Qty[row],
        "merchant" => ev.Merchant[row],
        "flag" => ev.Flag[row],
        _ => throw new ArgumentException(column),
    };

    private static void CheckAgainstReference(TestEvents ev, FeatureGroupDefinition def, Func<int, bool> filter, int parallelism)
    {
        var group = FeatureGroup.Compile(def, TestEvents.Schema);
        var result = group.Compute(ev.ToBatch(), parallelism);
        var kept = Enumerable.Range(0, ev.Length).Select(filter).ToArray();
        var rows = Enumerable.Range(0, ev.Length).Where(i => kept[i]).ToArray();
        Assert.That(result.Length, Is.EqualTo(rows.Length));
        int failures = 0;
        var messages = new List<string>();
        for (int fi = 0; fi < def.Features.Count; fi++)
        {
            var f = def.Features[fi];
            if (!f.IsAggregation) { continue; }
            var col = result.Column(2 + fi);
            for (int r = 0; r < rows.Length; r++)
            {
                int row = rows[r];
                var expected = NaiveReference.Compute(f, ev, row, j => f.Column is null ? null : SourceValue(ev, f.Column, j), kept);
                var actual = ResultComparer.Cell(col, r);
                if (!ResultComparer.Same(expected, actual, f.Aggregation))
                {
                    if (++failures <= 10)
                    {
                        messages.Add($"{f.Name} row {row} (entity {ev.Entity[row]}, t {ev.Time[row]}): expected {ResultComparer.Show(expected)}, got {ResultComparer.Show(actual)}");
                    }
                }
            }
        }
        Assert.That(failures, Is.Zero, string.Join("\n", messages));
        // Entity key and time columns echo the (filtered) input rows in input order.
        var entities = (Int64Array)result.Column(0);
        var times = (TimestampArray)result.Column(1);
        for (int r = 0; r < rows.Length; r++)
        {
            Assert.That(entities.GetValue(r), Is.EqualTo(ev.Entity[rows[r]]));
            Assert.That(times.GetValue(r), Is.EqualTo(ev.Time[rows[r]]));
        }
    }

    [TestCase(1, 300, 20, 1)]
    [TestCase(2, 500, 5, 2)]
    [TestCase(3, 400, 200, 4)]
    [TestCase(4, 600, 1, 3)]
    public void Compute_RandomEvents_MatchesNaiveReference(int seed, int rows, int entities, int parallelism)
    {
        var ev = TestEvents.Random(seed, rows, entities, 10L * 86_400_000_000L);
        CheckAgainstReference(ev, TestDefinitions.AllAggregations(), _ => true, parallelism);
    }

    [Test]
    public void Compute_WithFilter_MatchesNaiveReferenceOnKeptRows()
    {
        var ev = TestEvents.Random(7, 400, 10, 3L * 86_400_000_000L);
        CheckAgainstReference(ev, TestDefinitions.AllAggregations("amount > 0"), i => ev.Amount[i] is > 0, 2);
    }

    [Test]
    public void Compute_ShortSpanManyTies_MatchesNaiveReference()
    {
        // 2 hours of data on a coarse grid: many events share timestamps, so ties decide most windows.
        var ev = TestEvents.Random(11, 500, 8, 2L * 3_600_000_000L);
        CheckAgainstReference(ev, TestDefinitions.AllAggregations(), _ => true, 2);
    }

    [Test]
    public void Compute_EmptyInput_ReturnsNoRows()
    {
        var ev = TestEvents.Random(5, 0, 1, 1000);
        var group = FeatureGroup.Compile(TestDefinitions.AllAggregations(), TestEvents.Schema);
        var result = group.Compute(ev.ToBatch());
        Assert.That(result.Length, Is.Zero);
        Assert.That(result.ColumnCount, Is.EqualTo(group.OutputSchema.FieldsList.Count));
    }
}
