namespace Floe.Catalog.Rest.Server;

/// <summary>One HTTP answer of the REST catalog: a status and, unless empty, a JSON body.</summary>
public sealed record RestResponse(int Status, byte[] Body)
{
    /// <summary>An answer without a body (204, or a HEAD's 204/404).</summary>
    public static RestResponse Empty(int status) => new(status, Array.Empty<byte>());
}
