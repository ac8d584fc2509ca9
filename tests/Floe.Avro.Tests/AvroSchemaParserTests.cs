using Floe.Core.Types;
using Floe.Core.Errors;
using Floe.Avro;
using NUnit.Framework;

namespace Floe.Avro.Tests;

[TestFixture]
public sealed class AvroSchemaParserTests
{
    private const string IcebergLike = """
        {"type":"record","name":"manifest_entry","fields":[
          {"name":"status","type":"int","field-id":0},
          {"name":"snapshot_id","type":["null","long"],"default":null,"field-id":1},
          {"name":"counts","type":["null",{"type":"array","items":{"type":"record","name":"k1_v2","fields":[
              {"name":"key","type":"int","field-id":1},{"name":"value","type":"long","field-id":2}]},"logicalType":"map"}],"default":null,"field-id":108},
          {"name":"offsets","type":{"type":"array","items":"long","element-id":133}},
          {"name":"props","type":{"type":"map","values":"string","key-id":7,"value-id":8}},
          {"name":"price","type":{"type":"fixed","name":"decimal_9_2","size":4,"logicalType":"decimal","precision":9,"scale":2}},
          {"name":"price2","type":"decimal_9_2","custom":{"a":[1,2]}},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros","adjust-to-utc":true}},
          {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}}
        ]}
        """;

    [Test]
    public void Parse_IcebergAttributes_ArePreserved()
    {
        var schema = (AvroRecordSchema)AvroSchemaParser.Parse(IcebergLike, "test.avsc");
        Assert.That(schema.Fields.Select(f => f.FieldId), Is.EqualTo(new int?[] { 0, 1, 108, null, null, null, null, null, null }));
        var counts = (AvroArraySchema)((AvroUnionSchema)schema.Fields[2].Schema).NonNullBranch!;
        Assert.That(counts.LogicalType, Is.EqualTo("map"));
        Assert.That(((AvroRecordSchema)counts.Items).Fields.Select(f => f.FieldId), Is.EqualTo(new int?[] { 1, 2 }));
        Assert.That(((AvroArraySchema)schema.Fields[3].Schema).ElementId, Is.EqualTo(133));
        var map = (AvroMapSchema)schema.Fields[4].Schema;
        Assert.That((map.KeyId, map.ValueId), Is.EqualTo(((int?)7, (int?)8)));
        var price = (AvroFixedSchema)schema.Fields[5].Schema;
        Assert.That((price.Size, price.LogicalType, price.GetIntProperty("precision"), price.GetIntProperty("scale")), Is.EqualTo((4, "decimal", (int?)9, (int?)2)));
        Assert.That(schema.Fields[6].Schema, Is.SameAs(price), "named reference resolves to the definition");
        Assert.That(schema.Fields[6].Properties!["custom"]!.ToJsonString(), Is.EqualTo("{\"a\":[1,2]}"));
        Assert.That(schema.Fields[7].Schema.GetBoolProperty("adjust-to-utc"), Is.True);
        Assert.That(((AvroEnumSchema)schema.Fields[8].Schema).Symbols, Is.EqualTo(new[] { "RED", "GREEN" }));
        Assert.That(schema.Fields[1].HasDefault && schema.Fields[1].Default is null, Is.True);
        Assert.That(schema.Fields[0].HasDefault, Is.False);
    }

    [Test]
    public void ToJson_ParsedSchema_RoundTripsUnchanged()
    {
        var first = AvroSchemaWriter.ToJson(AvroSchemaParser.Parse(IcebergLike, "test.avsc"));
        var second = AvroSchemaWriter.ToJson(AvroSchemaParser.Parse(first, "again.avsc"));
        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Does.Contain("\"logicalType\":\"map\"").And.Contain("\"element-id\":133").And.Contain("\"field-id\":108"));
        Assert.That(first, Does.Contain("\"type\":\"decimal_9_2\""), "second use of a named type is written by name");
    }

    [TestCase("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}", "unknown type name 'nope'")]
    [TestCase("{\"type\":\"record\",\"name\":\"r\"}", "no 'fields'")]
    [TestCase("{\"type\":\"fixed\",\"name\":\"f\"}", "size")]
    [TestCase("[\"null\",[\"int\"]]", "union")]
    [TestCase("{not json", "not valid JSON")]
    public void Parse_Malformed_ThrowsInvalidDataNamingSource(string json, string expected)
    {
        var e = Assert.Throws<FloeException>(() => AvroSchemaParser.Parse(json, "bad.avro"));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(e.Message, Does.StartWith("bad.avro:").And.Contain(expected));
    }

    [Test]
    public void Parse_RecursiveRecord_Resolves()
    {
        var schema = (AvroRecordSchema)AvroSchemaParser.Parse(
            """{"type":"record","name":"Node","namespace":"x","fields":[{"name":"next","type":["null","Node"]}]}""", "t");
        Assert.That(((AvroUnionSchema)schema.Fields[0].Schema).NonNullBranch, Is.SameAs(schema));
        Assert.That(schema.FullName, Is.EqualTo("x.Node"));
    }
}
