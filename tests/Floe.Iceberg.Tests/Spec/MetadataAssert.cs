using NUnit.Framework;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tests.Spec;

/// <summary>Deep structural comparison of table metadata (lists and maps by content, schemas by fields).</summary>
internal static class MetadataAssert
{
    public static void AreEqual(TableMetadata expected, TableMetadata actual)
    {
        Assert.Multiple(() =>
        {
            Assert.That(actual.FormatVersion, Is.EqualTo(expected.FormatVersion), "format-version");
            Assert.That(actual.TableUuid, Is.EqualTo(expected.TableUuid), "table-uuid");
            Assert.That(actual.Location, Is.EqualTo(expected.Location), "location");
            Assert.That(actual.LastSequenceNumber, Is.EqualTo(expected.LastSequenceNumber), "last-sequence-number");
            Assert.That(actual.LastUpdatedMs, Is.EqualTo(expected.LastUpdatedMs), "last-updated-ms");
            Assert.That(actual.LastColumnId, Is.EqualTo(expected.LastColumnId), "last-column-id");
            Assert.That(actual.CurrentSchemaId, Is.EqualTo(expected.CurrentSchemaId), "current-schema-id");
            Assert.That(actual.DefaultSpecId, Is.EqualTo(expected.DefaultSpecId), "default-spec-id");
            Assert.That(actual.LastPartitionId, Is.EqualTo(expected.LastPartitionId), "last-partition-id");
            Assert.That(actual.CurrentSnapshotId, Is.EqualTo(expected.CurrentSnapshotId), "current-snapshot-id");
            Assert.That(actual.DefaultSortOrderId, Is.EqualTo(expected.DefaultSortOrderId), "default-sort-order-id");
            Assert.That(actual.NextRowId, Is.EqualTo(expected.NextRowId), "next-row-id");
            Assert.That(actual.PartitionSpecs, Is.EqualTo(expected.PartitionSpecs), "partition-specs");
            Assert.That(actual.SortOrders, Is.EqualTo(expected.SortOrders), "sort-orders");
            Assert.That(actual.Snapshots, Is.EqualTo(expected.Snapshots), "snapshots");
            Assert.That(actual.SnapshotLog, Is.EqualTo(expected.SnapshotLog), "snapshot-log");
            Assert.That(actual.MetadataLog, Is.EqualTo(expected.MetadataLog), "metadata-log");
            Assert.That(actual.Properties, Is.EquivalentTo(expected.Properties), "properties");
            Assert.That(actual.Refs, Is.EquivalentTo(expected.Refs), "refs");
            Assert.That(actual.Schemas, Has.Count.EqualTo(expected.Schemas.Count), "schemas");
        });
        for (var i = 0; i < expected.Schemas.Count; i++)
        {
            SchemasEqual(expected.Schemas[i], actual.Schemas[i]);
        }
    }

    public static void SchemasEqual(Schema expected, Schema actual)
    {
        Assert.That(actual.SchemaId, Is.EqualTo(expected.SchemaId), "schema-id");
        Assert.That(actual.IdentifierFieldIds, Is.EqualTo(expected.IdentifierFieldIds), $"schema {expected.SchemaId} identifier-field-ids");
        Assert.That(actual.Fields, Is.EqualTo(expected.Fields), $"schema {expected.SchemaId} fields");
    }
}
