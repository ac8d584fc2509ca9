using NUnit.Framework;
using System.Text.Json.Nodes;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tests.Spec;

/// <summary>Seeded random table metadata, schemas and specs for round-trip property tests.</summary>
internal static class RandomMetadata
{
    private static readonly PrimitiveType[] Primitives =
    {
        PrimitiveType.Boolean, PrimitiveType.Int, PrimitiveType.Long, PrimitiveType.Float, PrimitiveType.Double,
        PrimitiveType.Date, PrimitiveType.Time, PrimitiveType.Timestamp, PrimitiveType.TimestampTz,
        PrimitiveType.TimestampNs, PrimitiveType.TimestampTzNs, PrimitiveType.String, PrimitiveType.Uuid,
        PrimitiveType.Binary, PrimitiveType.Decimal(9, 2), PrimitiveType.Decimal(38, 0), PrimitiveType.Fixed(16),
    };

    private static readonly string[] Names = { "id", "name", "event_time", "a b", "ümlaut", "quote\"d", "x.y", "amount", "tags", "v" };

    public static TableMetadata Minimal(int formatVersion) => new()
    {
        FormatVersion = formatVersion,
        TableUuid = Guid.Parse("9c12d441-03fe-4693-9a96-a0705ddf69c1"),
        Location = "s3://bucket/t",
        LastUpdatedMs = 1602638573590,
        LastColumnId = 3,
        Schemas = new[]
        {
            new Schema(0, new[]
            {
                new NestedField(1, "x", true, PrimitiveType.Long),
                new NestedField(2, "y", false, PrimitiveType.String),
                new NestedField(3, "z", false, PrimitiveType.Date),
            }),
        },
        PartitionSpecs = new[] { PartitionSpec.Unpartitioned },
        LastPartitionId = 999,
        NextRowId = formatVersion >= 3 ? 0 : null,
    };

    public static Schema RandomSchema(Random rng, int schemaId, ref int nextId)
    {
        var count = rng.Next(1, 6);
        var fields = new List<NestedField>();
        for (var i = 0; i < count; i++) fields.Add(RandomField(rng, ref nextId, depth: 0, i));
        var ids = new List<int>();
        foreach (var f in fields)
        {
            if (f.Required && f.Type.IsPrimitive && rng.Next(3) == 0) ids.Add(f.Id);
        }
        return new Schema(schemaId, fields, ids);
    }

    public static TableMetadata Generate(Random rng, int formatVersion)
    {
        var nextId = 1;
        var schemas = new List<Schema>();
        var schemaCount = rng.Next(1, 4);
        for (var i = 0; i < schemaCount; i++) schemas.Add(RandomSchema(rng, i * 2, ref nextId));

        var first = schemas[0];
        var specs = new List<PartitionSpec> { PartitionSpec.Unpartitioned };
        var fieldId = 1000;
        var specCount = rng.Next(0, 3);
        for (var s = 1; s <= specCount; s++)
        {
            var pf = new List<PartitionField>();
            foreach (var f in first.Fields)
            {
                if (!f.Type.IsPrimitive || rng.Next(2) == 0) continue;
                var t = rng.Next(5) switch
                {
                    0 => Transform.Identity,
                    1 => Transform.Bucket(rng.Next(1, 64)),
                    2 => Transform.Truncate(rng.Next(1, 10)),
                    3 => Transform.Void,
                    _ => Transform.Day,
                };
                pf.Add(new PartitionField(f.Id, fieldId++, f.Name + "_" + t.Kind.ToString().ToLowerInvariant(), t));
            }
            specs.Add(new PartitionSpec(s, pf));
        }

        var orders = new List<SortOrder> { SortOrder.Unsorted };
        if (rng.Next(2) == 0)
        {
            orders.Add(new SortOrder(1, new[]
            {
                new SortField(first.Fields[0].Id, Transform.Identity, SortDirection.Desc, NullOrder.NullsLast),
                new SortField(first.Fields[^1].Id, Transform.Bucket(4), SortDirection.Asc, NullOrder.NullsFirst),
            }));
        }

        var snapshots = new List<Snapshot>();
        var snapCount = rng.Next(0, 5);
        long? parent = null;
        long seq = 0;
        long ts = 1_700_000_000_000;
        long rowId = 0;
        for (var i = 0; i < snapCount; i++)
        {
            var id = rng.NextInt64(1, long.MaxValue);
            if (formatVersion > 1) seq++;
            ts += rng.Next(1, 100_000);
            var summary = new Dictionary<string, string> { ["operation"] = new[] { "append", "overwrite", "delete", "replace" }[rng.Next(4)] };
            if (rng.Next(2) == 0) summary["added-records"] = rng.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (rng.Next(3) == 0) summary["floe.code-version"] = "v1 \"quoted\" \u00e9";
            var added = rng.Next(0, 500);
            snapshots.Add(new Snapshot(id, parent, seq, ts, $"s3://bucket/t/metadata/snap-{id}.avro", summary,
                rng.Next(3) == 0 ? null : schemas[rng.Next(schemas.Count)].SchemaId)
            {
                FirstRowId = formatVersion >= 3 ? rowId : null,
                AddedRows = formatVersion >= 3 ? added : null,
            });
            rowId += added;
            parent = rng.Next(4) == 0 ? null : id;
        }

        long? current = snapshots.Count > 0 && rng.Next(5) != 0 ? snapshots[^1].SnapshotId : null;
        var refs = new Dictionary<string, SnapshotRef>();
        if (current is { } c) refs["main"] = new SnapshotRef(c, SnapshotRefType.Branch, rng.Next(2) == 0 ? 5 : null, rng.Next(2) == 0 ? 86_400_000L : null);
        if (snapshots.Count > 0 && rng.Next(2) == 0)
        {
            refs["tag one"] = new SnapshotRef(snapshots[0].SnapshotId, SnapshotRefType.Tag, MaxRefAgeMs: long.MaxValue);
        }
        if (snapshots.Count > 1 && rng.Next(2) == 0)
        {
            refs["audit"] = new SnapshotRef(snapshots[1].SnapshotId, SnapshotRefType.Branch, 1, 2, 3);
        }

        var props = new Dictionary<string, string>();
        for (var i = 0; i < rng.Next(0, 4); i++) props["k" + i] = i % 2 == 0 ? "v" + i : "line\nbreak \\ ✓";

        return new TableMetadata
        {
            FormatVersion = formatVersion,
            TableUuid = new Guid(rng.NextInt64().ToString("x16") + rng.NextInt64().ToString("x16")),
            Location = "s3://bucket/wh/db/t" + rng.Next(100),
            LastSequenceNumber = seq + (formatVersion > 1 ? rng.Next(2) : 0),
            LastUpdatedMs = ts + 1,
            LastColumnId = nextId - 1,
            Schemas = schemas,
            CurrentSchemaId = schemas[rng.Next(schemas.Count)].SchemaId,
            PartitionSpecs = specs,
            DefaultSpecId = specs[rng.Next(specs.Count)].SpecId,
            LastPartitionId = fieldId - 1,
            Properties = props,
            CurrentSnapshotId = current,
            Snapshots = snapshots,
            SnapshotLog = snapshots.Select(s => new SnapshotLogEntry(s.TimestampMs, s.SnapshotId)).ToList(),
            MetadataLog = Enumerable.Range(0, rng.Next(3)).Select(i => new MetadataLogEntry(ts - 1000 + i, $"s3://bucket/t/metadata/v{i}.metadata.json")).ToList(),
            SortOrders = orders,
            DefaultSortOrderId = orders[rng.Next(orders.Count)].OrderId,
            Refs = refs,
            NextRowId = formatVersion >= 3 ? rowId : null,
        };
    }

    private static NestedField RandomField(Random rng, ref int nextId, int depth, int index)
    {
        var id = nextId++;
        var name = Names[rng.Next(Names.Length)] + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var required = rng.Next(2) == 0;
        var doc = rng.Next(4) == 0 ? "doc for " + name : null;
        var kind = depth >= 2 ? 0 : rng.Next(8);
        IcebergType type;
        JsonNode? initial = null, write = null;
        switch (kind)
        {
            case 5:
                {
                    var n = rng.Next(1, 3);
                    var sub = new List<NestedField>();
                    for (var i = 0; i < n; i++) sub.Add(RandomField(rng, ref nextId, depth + 1, i));
                    type = new StructType(sub);
                    break;
                }
            case 6:
                {
                    var elementId = nextId++;
                    type = new ListType(elementId, rng.Next(2) == 0, RandomElement(rng, ref nextId, depth));
                    break;
                }
            case 7:
                {
                    var keyId = nextId++;
                    var valueId = nextId++;
                    type = new MapType(keyId, PrimitiveType.String, valueId, rng.Next(2) == 0, RandomElement(rng, ref nextId, depth));
                    break;
                }
            default:
                {
                    var p = Primitives[rng.Next(Primitives.Length)];
                    type = p;
                    if (p.Id == TypeId.Long && rng.Next(3) == 0)
                    {
                        initial = JsonNode.Parse("-9223372036854775808");
                        write = JsonNode.Parse("34");
                    }
                    else if (p.Id == TypeId.String && rng.Next(3) == 0)
                    {
                        initial = JsonNode.Parse("\"d\\u00e9fault\"");
                    }
                    break;
                }
        }
        return new NestedField(id, name, required, type, doc, initial, write);
    }

    private static IcebergType RandomElement(Random rng, ref int nextId, int depth)
    {
        if (depth < 1 && rng.Next(3) == 0)
        {
            var f = RandomField(rng, ref nextId, depth + 1, 0);
            return new StructType(new[] { f });
        }
        return Primitives[rng.Next(Primitives.Length)];
    }
}
