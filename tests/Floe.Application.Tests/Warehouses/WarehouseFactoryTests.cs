using Floe.Application.Tables;
using Floe.Application.Warehouses;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using NUnit.Framework;

namespace Floe.Application.Tests.Warehouses;

[TestFixture]
public sealed class WarehouseFactoryTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "floe-factory-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Open_MissingFolderWithoutCreate_IsNotFoundAndWritesNothing()
    {
        var ex = Assert.Throws<FloeException>(() => WarehouseFactory.Open(_dir, create: false));

        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(ex.Message, Does.Contain(_dir));
        Assert.That(Directory.Exists(_dir), Is.False);
    }

    [Test]
    public void Open_EmptyFolderWithoutCreate_IsNotFoundAndLeavesItEmpty()
    {
        Directory.CreateDirectory(_dir);

        var ex = Assert.Throws<FloeException>(() => WarehouseFactory.Open(_dir, create: false));

        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(Directory.EnumerateFileSystemEntries(_dir), Is.Empty);
    }

    [Test]
    public void Open_Create_MakesTheCatalogThatALaterOpenSees()
    {
        var created = WarehouseFactory.Open(_dir, create: true);
        new TableService(created).Create("a.t", "id:long");

        var reopened = WarehouseFactory.Open(_dir, create: false);

        Assert.That(File.Exists(Path.Combine(_dir, Warehouse.CatalogFileName)), Is.True);
        Assert.That(reopened.Directory, Is.EqualTo(Path.GetFullPath(_dir)));
        Assert.That(new TableService(reopened).List(), Is.EqualTo(new[] { "a.t" }));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Open_BlankPath_IsInvalidArgument(string path)
    {
        var ex = Assert.Throws<FloeException>(() => WarehouseFactory.Open(path, create: true));

        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void Open_PathIsAFile_IsAnErrorAndTheFileIsUntouched()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(file, "x");

        var ex = Assert.Throws<FloeException>(() => WarehouseFactory.Open(file, create: true));

        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(File.ReadAllText(file), Is.EqualTo("x"));
    }
}
