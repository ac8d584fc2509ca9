using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Tables;

public sealed class TablePropertyValidationTests
{
    [TestCase("write.delete.mode", "sometimes")]
    [TestCase("write.delete.isolation-level", "loose")]
    [TestCase("write.parquet.compression-level", "-1")]
    [TestCase("write.parquet.page-size-bytes", "big")]
    public void AWritePropertyFloeCannotUseIsRefusedAtCreationNamingIt(string key, string value)
    {
        using var tables = new TestTables();
        var error = Assert.Throws<FloeException>(() => tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.events"),
            TestTables.EventsSchema, TestTables.DaySpec, new Dictionary<string, string> { [key] = value }));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(error.Message, Does.Contain(key).And.Contain(value));
        Assert.That(tables.Warehouse.Catalog.TableExists(TableIdentifier.Parse("demo.events")), Is.False);
    }

    [TestCase("write.delete.mode", "merge-on-read")]
    [TestCase("write.delete.isolation-level", "snapshot")]
    [TestCase("write.parquet.compression-level", "9")]
    public void AUsableWritePropertyIsStored(string key, string value)
    {
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.events"), TestTables.EventsSchema, TestTables.DaySpec,
            new Dictionary<string, string> { [key] = value });
        Assert.That(table.Metadata.Properties[key], Is.EqualTo(value));
    }
}
