using NUnit.Framework;
using Floe.Iceberg.Expressions;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Tests.Expressions;

[TestFixture]
public sealed class EvaluatorTests
{
    private static readonly Schema Schema = ExpressionParserTests.Schema;

    private static Expression E(string text) => ExpressionParser.Parse(text, Schema);

    private static long Micros(int y, int m, int d, int h = 0) => (new DateTime(y, m, d, h, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10;

    private static DataFile File(long? nulls, long values, object? lower, object? upper, int fieldId = 1, PrimitiveType? type = null, long? nans = null)
    {
        type ??= PrimitiveType.Long;
        return new DataFile
        {
            FilePath = "f.parquet",
            Partition = PartitionData.Empty,
            RecordCount = values,
            ValueCounts = new Dictionary<int, long> { [fieldId] = values },
            NullValueCounts = nulls is null ? null : new Dictionary<int, long> { [fieldId] = nulls.Value },
            NanValueCounts = nans is null ? null : new Dictionary<int, long> { [fieldId] = nans.Value },
            LowerBounds = lower is null ? null : new Dictionary<int, byte[]> { [fieldId] = Conversions.ToBytes(type, lower) },
            UpperBounds = upper is null ? null : new Dictionary<int, byte[]> { [fieldId] = Conversions.ToBytes(type, upper) },
        };
    }

    [TestCase("amount > 20", false)]
    [TestCase("amount >= 20", true)]
    [TestCase("amount < 10", false)]
    [TestCase("amount <= 10", true)]
    [TestCase("amount = 15", true)]
    [TestCase("amount = 21", false)]
    [TestCase("amount in (1, 2, 30)", false)]
    [TestCase("amount in (1, 12)", true)]
    [TestCase("amount != 15", true)]
    [TestCase("amount is null", false)]
    [TestCase("amount is not null", true)]
    [TestCase("not (amount <= 20)", false)]
    [TestCase("amount > 20 or amount < 5", false)]
    [TestCase("amount > 20 or amount < 11", true)]
    public void InclusiveMetrics_Bounds10To20NoNulls(string filter, bool expected) =>
        Assert.That(new InclusiveMetricsEvaluator(E(filter)).MayMatch(File(0, 100, 10L, 20L)), Is.EqualTo(expected));

    [Test]
    public void InclusiveMetrics_AllNulls_OnlyIsNullMatches()
    {
        var f = File(5, 5, null, null);
        Assert.Multiple(() =>
        {
            Assert.That(new InclusiveMetricsEvaluator(E("amount is null")).MayMatch(f), Is.True);
            Assert.That(new InclusiveMetricsEvaluator(E("amount is not null")).MayMatch(f), Is.False);
            Assert.That(new InclusiveMetricsEvaluator(E("amount = 1")).MayMatch(f), Is.False);
            Assert.That(new InclusiveMetricsEvaluator(E("amount != 1")).MayMatch(f), Is.False);
        });
    }

    [Test]
    public void InclusiveMetrics_MissingMetrics_NeverExcludes()
    {
        var f = new DataFile { FilePath = "f", Partition = PartitionData.Empty, RecordCount = 3 };
        Assert.That(new InclusiveMetricsEvaluator(E("amount = 5 and name = 'x' and y is null")).MayMatch(f), Is.True);
    }

    [Test]
    public void InclusiveMetrics_AllNaN_ExcludesComparisons()
    {
        var f = File(0, 4, null, null, fieldId: 5, type: PrimitiveType.Double, nans: 4);
        Assert.That(new InclusiveMetricsEvaluator(E("y > 1")).MayMatch(f), Is.False);
        Assert.That(new InclusiveMetricsEvaluator(E("y is not null")).MayMatch(f), Is.True);
    }

    [Test]
    public void PartitionEvaluator_DayBucketTruncateIdentity_Projects()
    {
        var spec = PartitionSpecBuilder.Parse("day(event_time),bucket(8,amount),truncate(2,name),x", Schema);
        var day = (int)(Micros(2024, 1, 3) / 86_400_000_000L);
        var bucket7 = (int)TransformFunctions.Apply(Transform.Bucket(8), PrimitiveType.Long, 7L)!;
        var part = new PartitionData(new object?[] { day, bucket7, "ab", 4 });
        bool May(string f) => new PartitionEvaluator(E(f), spec, Schema).MayMatch(part);
        Assert.Multiple(() =>
        {
            Assert.That(May("event_time >= '2024-01-03T10:00:00Z'"), Is.True);
            Assert.That(May("event_time >= '2024-01-04T00:00:00Z'"), Is.False);
            Assert.That(May("event_time < '2024-01-03T00:00:01Z'"), Is.True);
            Assert.That(May("event_time < '2024-01-03T00:00:00Z'"), Is.False, "no instant of that day is before its midnight");
            Assert.That(May("event_time < '2024-01-02T00:00:00Z'"), Is.False);
            Assert.That(May("amount = 7"), Is.True);
            Assert.That(May("amount in (7, 1000)"), Is.True);
            Assert.That(May("amount > 1000000"), Is.True, "bucket cannot project ranges");
            Assert.That(May("name = 'abc'"), Is.True);
            Assert.That(May("name = 'xyz'"), Is.False);
            Assert.That(May("name > 'ac'"), Is.False);
            Assert.That(May("x = 4"), Is.True);
            Assert.That(May("x != 4"), Is.False);
            Assert.That(May("x is null"), Is.False);
            Assert.That(May("not (x = 4)"), Is.False);
            Assert.That(May("x = 5 or name = 'abz'"), Is.True);
        });
    }

    [Test]
    public void ManifestEvaluator_Summaries_Prune()
    {
        var spec = PartitionSpecBuilder.Parse("day(event_time),x", Schema);
        var d1 = (int)(Micros(2024, 1, 1) / 86_400_000_000L);
        var summaries = new[]
        {
            new PartitionFieldSummary(false, null, Conversions.ToBytes(PrimitiveType.Date, d1), Conversions.ToBytes(PrimitiveType.Date, d1 + 2)),
            new PartitionFieldSummary(true, null, null, null),
        };
        bool May(string f) => new ManifestEvaluator(E(f), spec, Schema).MayMatch(summaries);
        Assert.Multiple(() =>
        {
            Assert.That(May("event_time >= '2024-01-02T05:00:00Z'"), Is.True);
            Assert.That(May("event_time >= '2024-01-04T00:00:00Z'"), Is.False);
            Assert.That(May("event_time < '2024-01-01T00:00:00Z'"), Is.False);
            Assert.That(May("x = 1"), Is.False, "x is only null in this manifest");
            Assert.That(May("x is null"), Is.True);
            Assert.That(May("amount = 5"), Is.True, "not a partition source");
        });
        Assert.That(new ManifestEvaluator(E("x = 1"), spec, Schema).MayMatch((IReadOnlyList<PartitionFieldSummary>?)null), Is.True);
    }
}
