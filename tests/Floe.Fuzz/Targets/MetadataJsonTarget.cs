using System.Text;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Fuzz.Targets;

/// <summary>Table metadata JSON (<c>vN.metadata.json</c>) as bytes, the way a metadata file is read.</summary>
internal sealed class MetadataJsonTarget : FuzzTarget
{
    public override string Name => "metadata-json";

    public override string Description => "TableMetadataParser.Parse over UTF-8 bytes (table metadata files)";

    public override string[] Dictionary => new[]
    {
        "\"format-version\"", "\"schemas\"", "\"current-schema-id\"", "\"partition-specs\"", "\"snapshots\"", "\"refs\"",
        "\"type\":\"struct\"", "\"type\":\"list\"", "\"type\":\"map\"", "\"element-id\"", "\"key-id\"", "\"value-id\"",
        "\"transform\":\"bucket[16]\"", "\"decimal(38,10)\"", "\"fixed[3]\"", "\"initial-default\"", "null", "true", "-1", "1e400", "{", "}", "[", "]", ",", ":",
    };

    public override void Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        Expect(() =>
        {
            var metadata = TableMetadataParser.Parse(bytes, "fuzz.metadata.json");
            // What parsed must serialize and parse again to the same metadata.
            var again = TableMetadataParser.Parse(TableMetadataParser.ToUtf8Json(metadata), "fuzz.metadata.json");
            if (again.TableUuid != metadata.TableUuid || again.Schemas.Count != metadata.Schemas.Count)
            {
                throw new FuzzContractException("metadata does not survive a write/read round trip");
            }
        });
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("floe-table-v2.json", SeedTable.Get().MetadataJson);
        yield return ("minimal-v1.json", Encoding.UTF8.GetBytes(
            """{"format-version":1,"table-uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1","location":"s3://b/t","last-updated-ms":1,"last-column-id":3,"schema":{"type":"struct","fields":[{"id":1,"name":"x","required":true,"type":"long"},{"id":2,"name":"l","required":false,"type":{"type":"list","element-id":3,"element-required":false,"element":"string"}}]},"partition-spec":[{"name":"x_b","transform":"bucket[4]","source-id":1,"field-id":1000}],"properties":{}}"""));
    }
}
