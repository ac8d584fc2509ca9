namespace Floe.Native;

/// <summary>The process-wide handle tables, one per opaque C type; each has its own tag so types cannot be confused.</summary>
internal static class Handles
{
    /// <summary>Handles behind <c>floe_warehouse*</c>.</summary>
    public static readonly HandleTable<NativeWarehouse> Warehouses = new(tag: 1, typeName: "floe_warehouse");
}
