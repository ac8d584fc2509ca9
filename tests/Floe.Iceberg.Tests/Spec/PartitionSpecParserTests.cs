using NUnit.Framework;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tests.Spec;

[TestFixture]
public sealed class PartitionSpecParserTests
{
    private static readonly PartitionSpec Spec = new(2, new[]
    {
        new PartitionField(4, 1000, "ts_day", Transform.Day),
        new PartitionField(1, 1001, "id_bucket", Transform.Bucket(16)),
        new PartitionField(2, 1002, "name_trunc", Transform.Truncate(4)),
    });

    [Test]
    public void ToJson_Spec_WritesObjectForm()
    {
        Assert.That(PartitionSpecParser.ToJson(Spec), Is.EqualTo(
            "{\"spec-id\":2,\"fields\":[" +
            "{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":4,\"field-id\":1000}," +
            "{\"name\":\"id_bucket\",\"transform\":\"bucket[16]\",\"source-id\":1,\"field-id\":1001}," +
            "{\"name\":\"name_trunc\",\"transform\":\"truncate[4]\",\"source-id\":2,\"field-id\":1002}]}"));
    }

    [Test]
    public void FieldsToJson_Spec_WritesArrayOnly() =>
        Assert.That(PartitionSpecParser.FieldsToJson(Spec), Does.StartWith("[{\"name\":\"ts_day\"").And.EndWith("}]"));

    [Test]
    public void Parse_BothForms_RoundTrip()
    {
        Assert.That(PartitionSpecParser.Parse(PartitionSpecParser.ToJson(Spec)), Is.EqualTo(Spec));
        Assert.That(PartitionSpecParser.Parse(PartitionSpecParser.FieldsToJson(Spec), specIdForArray: 2), Is.EqualTo(Spec));
    }

    [Test]
    public void Parse_V1FieldsWithoutFieldIds_AssignsFrom1000()
    {
        var spec = PartitionSpecParser.Parse("[{\"name\":\"a\",\"transform\":\"identity\",\"source-id\":1},{\"name\":\"b\",\"transform\":\"hour\",\"source-id\":2}]");
        Assert.That(spec.Fields.Select(f => f.FieldId), Is.EqualTo(new[] { 1000, 1001 }));
    }

    [Test]
    public void Parse_V3SourceIds_UsesSingleId()
    {
        var spec = PartitionSpecParser.Parse("{\"spec-id\":0,\"fields\":[{\"name\":\"a\",\"transform\":\"identity\",\"source-ids\":[7],\"field-id\":1000}]}");
        Assert.That(spec.Fields[0].SourceId, Is.EqualTo(7));
    }

    [Test]
    public void Parse_UnknownTransform_NamesFieldAndSource()
    {
        var ex = Assert.Throws<FloeException>(() =>
            PartitionSpecParser.Parse("[{\"name\":\"a\",\"transform\":\"zorder\",\"source-id\":1,\"field-id\":1000}]", "m.avro"));
        Assert.That(ex!.Message, Does.StartWith("m.avro: partition-spec[0].transform"));
    }
}
