using Floe.Core.Errors;

namespace Floe.Native.Tests;

[TestFixture]
public sealed class HandleTableTests
{
    private sealed class Item(int id)
    {
        public int Id { get; } = id;
    }

    [Test]
    public void Add_ThenGet_ReturnsSameObject()
    {
        var table = new HandleTable<Item>(7, "floe_item");
        var item = new Item(1);
        nint handle = table.Add(item);

        Assert.That(handle, Is.Not.EqualTo((nint)0));
        Assert.That(table.Get(handle), Is.SameAs(item));
        Assert.That(table.Count, Is.EqualTo(1));
    }

    [Test]
    public void Get_AfterRemove_ThrowsInvalidHandle()
    {
        var table = new HandleTable<Item>(7, "floe_item");
        nint handle = table.Add(new Item(1));
        Assert.That(table.Remove(handle)?.Id, Is.EqualTo(1));

        var error = Assert.Throws<FloeException>(() => table.Get(handle));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidHandle));
        Assert.That(error.Message, Does.Contain("floe_item handle 0x"));
        Assert.That(table.Count, Is.Zero);
    }

    [Test]
    public void Remove_Twice_ReturnsNullTheSecondTime()
    {
        var table = new HandleTable<Item>(7, "floe_item");
        nint handle = table.Add(new Item(1));
        Assert.That(table.Remove(handle), Is.Not.Null);
        Assert.That(table.Remove(handle), Is.Null);
    }

    [Test]
    public void Add_ReusingFreedSlot_OldHandleStaysInvalid()
    {
        var table = new HandleTable<Item>(7, "floe_item");
        nint old = table.Add(new Item(1));
        table.Remove(old);
        nint reused = table.Add(new Item(2));

        Assert.That(reused, Is.Not.EqualTo(old));
        Assert.That(table.TryGet(old, out _), Is.False);
        Assert.That(table.Get(reused).Id, Is.EqualTo(2));
        // Same slot, next generation: only the generation bits differ.
        Assert.That(reused & 0xFFFFFF, Is.EqualTo(old & 0xFFFFFF));
    }

    [Test]
    public void TryGet_HandleOfAnotherTable_IsFalse()
    {
        var warehouses = new HandleTable<Item>(1, "floe_warehouse");
        var tables = new HandleTable<Item>(2, "floe_table");
        nint warehouse = warehouses.Add(new Item(1));
        tables.Add(new Item(2));

        Assert.That(tables.TryGet(warehouse, out _), Is.False);
        Assert.That(warehouses.TryGet(warehouse, out _), Is.True);
    }

    [TestCase(0L)]
    [TestCase(1L)]
    [TestCase(0x1234L)]
    [TestCase(-1L)]
    [TestCase(0x0700000001000005L)]
    public void TryGet_ForgedHandle_IsFalse(long forged)
    {
        var table = new HandleTable<Item>(7, "floe_item");
        table.Add(new Item(1));

        Assert.That(table.TryGet((nint)forged, out _), Is.False);
    }

    [Test]
    public void Add_ManyHandles_AllDistinctAndResolvable()
    {
        var table = new HandleTable<Item>(7, "floe_item");
        var handles = new nint[1000];
        for (int i = 0; i < handles.Length; i++)
        {
            handles[i] = table.Add(new Item(i));
        }

        Assert.That(handles.Distinct().Count(), Is.EqualTo(handles.Length));
        for (int i = 0; i < handles.Length; i++)
        {
            Assert.That(table.Get(handles[i]).Id, Is.EqualTo(i));
        }
    }

    [Test]
    public void AddAndRemove_FromManyThreads_KeepsCountConsistent()
    {
        var table = new HandleTable<Item>(7, "floe_item");
        Parallel.For(0, 8, worker =>
        {
            for (int i = 0; i < 2000; i++)
            {
                nint handle = table.Add(new Item(i));
                if (table.Get(handle).Id != i || table.Remove(handle) is null || table.TryGet(handle, out _))
                {
                    throw new InvalidOperationException($"worker {worker} lost handle {i}");
                }
            }
        });

        Assert.That(table.Count, Is.Zero);
    }

    [Test]
    public void Constructor_TagZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new HandleTable<Item>(0, "floe_item"));
    }
}
