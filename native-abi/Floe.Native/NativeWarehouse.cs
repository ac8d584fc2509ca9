using Floe.Iceberg.Catalog;

namespace Floe.Native;

/// <summary>
/// The object behind a <c>floe_warehouse</c> handle: the opened <see cref="Iceberg.Catalog.Warehouse"/> (its folder
/// and catalog.db). Exports build the application services over it exactly as the CLI does, so this face has no
/// logic of its own.
/// </summary>
internal sealed class NativeWarehouse
{
    /// <summary>Wraps an opened warehouse.</summary>
    /// <param name="warehouse">The warehouse; the handle owns it.</param>
    public NativeWarehouse(Warehouse warehouse)
    {
        Warehouse = warehouse;
    }

    /// <summary>The opened warehouse.</summary>
    public Warehouse Warehouse { get; }
}
