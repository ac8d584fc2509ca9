using NUnit.Framework;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Tests.Transforms;

[TestFixture]
public sealed class PartitionSpecBuilderTests
{
    private static readonly Schema Schema = new(0, new[]
    {
        new NestedField(1, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(2, "entity_id", true, PrimitiveType.Long),
        new NestedField(3, "name", false, PrimitiveType.String),
        new NestedField(4, "x", false, PrimitiveType.Int),
        new NestedField(5, "ts", false, PrimitiveType.Timestamp),
        new NestedField(6, "y", false, PrimitiveType.Double),
        new NestedField(7, "s", false, new StructType(new[] { new NestedField(8, "t", false, PrimitiveType.Date) })),
        new NestedField(9, "l", false, new ListType(10, false, PrimitiveType.Int)),
    });

    [Test]
    public void Parse_FullExample_UsesJavaNamesAndIdsFrom1000()
    {
        var spec = PartitionSpecBuilder.Parse("day(event_time),bucket(16,entity_id),truncate(4,name),identity(x),hour(ts),void(y)", Schema, specId: 3);
        Assert.That(spec, Is.EqualTo(new PartitionSpec(3, new[]
        {
            new PartitionField(1, 1000, "event_time_day", Transform.Day),
            new PartitionField(2, 1001, "entity_id_bucket", Transform.Bucket(16)),
            new PartitionField(3, 1002, "name_trunc", Transform.Truncate(4)),
            new PartitionField(4, 1003, "x", Transform.Identity),
            new PartitionField(5, 1004, "ts_hour", Transform.Hour),
            new PartitionField(6, 1005, "y_null", Transform.Void),
        })));
    }

    [Test]
    public void Parse_NestedColumnAndSpaces_Resolves()
    {
        var spec = PartitionSpecBuilder.Parse(" month( s.t ) , year(ts)", Schema);
        Assert.That(spec.Fields.Select(f => (f.SourceId, f.Name)), Is.EqualTo(new[] { (8, "s.t_month"), (5, "ts_year") }));
    }

    [Test]
    public void Parse_Empty_IsUnpartitioned() =>
        Assert.That(PartitionSpecBuilder.Parse("  ", Schema).Fields, Is.Empty);

    [TestCase("zorder(x)", "unknown transform 'zorder'")]
    [TestCase("day(nope)", "column 'nope' is not in the table schema")]
    [TestCase("day(name)", "cannot be applied to column 'name' of type string")]
    [TestCase("bucket(x)", "expected (N, column)")]
    [TestCase("bucket(0, x)", "positive integer")]
    [TestCase("identity(l)", "nested type")]
    [TestCase("day(ts,", "unbalanced")]
    [TestCase("x,x", "used twice")]
    [TestCase("x,,ts", "empty term")]
    public void Parse_Invalid_ThrowsClearError(string text, string fragment)
    {
        var ex = Assert.Throws<FloeException>(() => PartitionSpecBuilder.Parse(text, Schema));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain(fragment));
    }
}
