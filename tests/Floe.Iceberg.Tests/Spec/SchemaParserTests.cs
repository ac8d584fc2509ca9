using NUnit.Framework;
using System.Text.Json.Nodes;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tests.Spec;

[TestFixture]
public sealed class SchemaParserTests
{
    [Test]
    public void ParseToJson_RandomSchemas_RoundTrip([Range(0, 99)] int seed)
    {
        var rng = new Random(seed);
        var next = 1;
        var schema = RandomMetadata.RandomSchema(rng, seed, ref next);
        MetadataAssert.SchemasEqual(schema, SchemaParser.Parse(SchemaParser.ToJson(schema)));
    }

    [Test]
    public void ToJson_NestedWithDefaultsAndIdentifiers_WritesSpecForm()
    {
        var schema = new Schema(3, new[]
        {
            new NestedField(1, "id", true, PrimitiveType.Long),
            new NestedField(2, "tags", false, new ListType(3, true, PrimitiveType.String)),
            new NestedField(4, "attrs", false, new MapType(5, PrimitiveType.String, 6, false, PrimitiveType.Decimal(9, 2))),
            new NestedField(7, "n", false, PrimitiveType.Int, "a doc", JsonNode.Parse("34"), JsonNode.Parse("35")),
        }, new[] { 1 });
        var json = SchemaParser.ToJson(schema);
        Assert.That(json, Is.EqualTo(
            "{\"type\":\"struct\",\"schema-id\":3,\"identifier-field-ids\":[1],\"fields\":[" +
            "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}," +
            "{\"id\":2,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"list\",\"element-id\":3,\"element\":\"string\",\"element-required\":true}}," +
            "{\"id\":4,\"name\":\"attrs\",\"required\":false,\"type\":{\"type\":\"map\",\"key-id\":5,\"key\":\"string\",\"value-id\":6,\"value\":\"decimal(9, 2)\",\"value-required\":false}}," +
            "{\"id\":7,\"name\":\"n\",\"required\":false,\"type\":\"int\",\"doc\":\"a doc\",\"initial-default\":34,\"write-default\":35}]}"));
    }

    [TestCase("decimal(9,2)", 9, 2)]
    [TestCase("decimal( 38 , 10 )", 38, 10)]
    [TestCase("decimal(1, 0)", 1, 0)]
    public void ParsePrimitive_DecimalWithOptionalSpaces_Parses(string text, int p, int s) =>
        Assert.That(SchemaParser.ParsePrimitive(text), Is.EqualTo(PrimitiveType.Decimal(p, s)));

    [Test]
    public void ParsePrimitive_FixedWithSpaces_Parses() =>
        Assert.That(SchemaParser.ParsePrimitive("fixed[ 16 ]"), Is.EqualTo(PrimitiveType.Fixed(16)));

    [TestCase("decimal(39,2)")]
    [TestCase("fixed[]")]
    [TestCase("varchar")]
    public void ParsePrimitive_Invalid_Throws(string text) =>
        Assert.Throws<FloeException>(() => SchemaParser.ParsePrimitive(text));

    [Test]
    public void ParsePrimitive_Variant_IsUnsupported()
    {
        var ex = Assert.Throws<FloeException>(() => SchemaParser.ParsePrimitive("variant"));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.Unsupported));
    }

    [Test]
    public void Parse_FieldMissingRequired_NamesFieldPath()
    {
        const string json = "{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true,\"type\":\"long\"},{\"id\":2,\"name\":\"b\",\"type\":\"long\"}]}";
        var ex = Assert.Throws<FloeException>(() => SchemaParser.Parse(json, "f.parquet"));
        Assert.That(ex!.Message, Is.EqualTo("f.parquet: schema.fields[1].required is missing"));
    }

    [Test]
    public void Parse_DuplicateFieldIds_Throws()
    {
        const string json = "{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true,\"type\":\"long\"},{\"id\":1,\"name\":\"b\",\"required\":true,\"type\":\"long\"}]}";
        var ex = Assert.Throws<FloeException>(() => SchemaParser.Parse(json, "s"));
        Assert.That(ex!.Message, Does.Contain("duplicate field id 1"));
    }

    [Test]
    public void Parse_NotJson_NamesSource()
    {
        var ex = Assert.Throws<FloeException>(() => SchemaParser.Parse("{nope", "x.avro"));
        Assert.That(ex!.Message, Does.StartWith("x.avro: not valid JSON"));
    }
}
