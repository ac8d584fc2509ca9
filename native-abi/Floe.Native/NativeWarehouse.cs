namespace Floe.Native;

/// <summary>
/// The object behind a <c>floe_warehouse</c> handle. For now it holds only the folder; the catalog it will open
/// belongs to the application layer, not to this face.
/// </summary>
internal sealed class NativeWarehouse
{
    /// <summary>Creates the state for an opened warehouse.</summary>
    /// <param name="path">The absolute warehouse folder.</param>
    public NativeWarehouse(string path)
    {
        Path = path;
    }

    /// <summary>The absolute warehouse folder.</summary>
    public string Path { get; }
}
