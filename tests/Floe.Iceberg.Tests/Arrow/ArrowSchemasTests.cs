using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Tests.Arrow;

[TestFixture]
public sealed class ArrowSchemasTests
{
    private static readonly Schema Nested = new(3, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "s", false, new Floe.Core.Types.StructType(new[]
        {
            new NestedField(3, "a", false, PrimitiveType.TimestampNs),
            new NestedField(4, "tags", false, new Floe.Core.Types.ListType(5, true, PrimitiveType.String)),
            new NestedField(6, "m", true, new Floe.Core.Types.MapType(7, PrimitiveType.String, 8, false, PrimitiveType.Decimal(10, 3))),
        })),
    });

    [Test]
    public void ToArrow_AllPrimitives_MapsTypesAndIds()
    {
        var arrow = ArrowSchemas.ToArrow(WriterTestSchemas.AllTypes);
        Assert.Multiple(() =>
        {
            Assert.That(arrow.FieldsList.Select(f => ArrowSchemas.GetFieldId(f)), Is.EqualTo(WriterTestSchemas.AllTypes.Fields.Select(f => (int?)f.Id)));
            Assert.That(arrow.GetFieldByName("id").IsNullable, Is.False);
            Assert.That(arrow.GetFieldByName("ts").DataType, Is.TypeOf<TimestampType>().And.Property("Unit").EqualTo(TimeUnit.Microsecond).And.Property("Timezone").Null);
            Assert.That(((TimestampType)arrow.GetFieldByName("tstz").DataType).Timezone, Is.EqualTo("UTC"));
            Assert.That(((Time64Type)arrow.GetFieldByName("tm").DataType).Unit, Is.EqualTo(TimeUnit.Microsecond));
            Assert.That(arrow.GetFieldByName("dt").DataType, Is.TypeOf<Date32Type>());
            Assert.That(((Decimal128Type)arrow.GetFieldByName("dec38").DataType).Precision, Is.EqualTo(38));
            Assert.That(((FixedSizeBinaryType)arrow.GetFieldByName("u").DataType).ByteWidth, Is.EqualTo(16));
            Assert.That(((FixedSizeBinaryType)arrow.GetFieldByName("fx").DataType).ByteWidth, Is.EqualTo(3));
            Assert.That(arrow.GetFieldByName("s").DataType, Is.TypeOf<StringType>());
            Assert.That(arrow.GetFieldByName("bin").DataType, Is.TypeOf<BinaryType>());
        });
    }

    [Test]
    public void FromArrow_RoundTrip_GivesEqualSchema()
    {
        foreach (var schema in new[] { WriterTestSchemas.AllTypes, Nested })
        {
            var back = ArrowSchemas.FromArrow(ArrowSchemas.ToArrow(schema), schema.SchemaId);
            Assert.That(back.AsStruct(), Is.EqualTo(schema.AsStruct()));
        }
    }

    [Test]
    public void ToArrow_NestedTypes_CarryIdsOnElementsKeysAndValues()
    {
        var arrow = ArrowSchemas.ToArrow(Nested);
        var s = (Apache.Arrow.Types.StructType)arrow.GetFieldByName("s").DataType;
        var list = (Apache.Arrow.Types.ListType)s.Fields[1].DataType;
        var map = (Apache.Arrow.Types.MapType)s.Fields[2].DataType;
        Assert.Multiple(() =>
        {
            Assert.That(ArrowSchemas.GetFieldId(list.ValueField), Is.EqualTo(5));
            Assert.That(list.ValueField.IsNullable, Is.False);
            Assert.That(ArrowSchemas.GetFieldId(map.KeyField), Is.EqualTo(7));
            Assert.That(ArrowSchemas.GetFieldId(map.ValueField), Is.EqualTo(8));
            Assert.That(map.ValueField.IsNullable, Is.True, "value_required is false");
        });
    }

    [Test]
    public void FromArrow_FieldWithoutId_ThrowsNamingField()
    {
        var arrow = new Apache.Arrow.Schema(new[] { new Apache.Arrow.Field("x", Int32Type.Default, true) }, null);
        var ex = Assert.Throws<FloeException>(() => ArrowSchemas.FromArrow(arrow));
        Assert.That(ex!.Message, Does.Contain("'x'"));
    }
}
