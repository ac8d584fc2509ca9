using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Native.Interop;

namespace Floe.Native;

/// <summary>
/// Where exceptions become return codes. Every export wraps its whole body as
/// <code>
/// try { ...; return 0; }
/// catch (Exception e) { return NativeCall.Fail(e, "floe_x_y"); }
/// </code>
/// because an exception that crosses an <c>[UnmanagedCallersOnly]</c> frame ends the process on Linux.
/// A try/catch per export, not a delegate-taking runner, keeps calls free of closures and allocation. Inside it, a
/// JSON export is <c>Open</c>, read the arguments, call the application, <see cref="Json"/>.
/// </summary>
internal static unsafe class NativeCall
{
    /// <summary>
    /// What a JSON export checks before it reads its arguments, in this order: resets the caller's buffer (NULL is
    /// <see cref="FloeErrorCode.InvalidArgument"/> naming <paramref name="outName"/>), then resolves the handle.
    /// </summary>
    /// <param name="out">The caller's result buffer.</param>
    /// <param name="outName">Its C parameter name, used in the message.</param>
    /// <param name="warehouse">The <c>floe_warehouse*</c> handle.</param>
    /// <returns>The opened warehouse to build the application service over.</returns>
    public static Warehouse Open(FloeBuf* @out, string outName, nint warehouse)
    {
        NativeBuffers.Reset(@out, outName);
        return Open(warehouse);
    }

    /// <summary>Resolves a <c>floe_warehouse*</c> handle (a closed or forged one is <see cref="FloeErrorCode.InvalidHandle"/>).</summary>
    public static Warehouse Open(nint warehouse) => Handles.Warehouses.Get(warehouse).Warehouse;

    /// <summary>Sets a caller's out value to its empty state (0, NULL, a released stream) before an export fills it.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> when <paramref name="out"/> is NULL.</exception>
    public static void Reset<T>(T* @out)
        where T : unmanaged
    {
        if (@out == null)
        {
            throw Errors.InvalidArgument("out must not be NULL");
        }

        *@out = default;
    }

    /// <summary>Fills the caller's buffer with the JSON <paramref name="write"/> writes (a result's own <c>WriteJson</c>).</summary>
    /// <returns><c>FLOE_OK</c>, for the export to return.</returns>
    public static int Json(FloeBuf* @out, Action<Utf8JsonWriter> write)
    {
        NativeJson.Fill(@out, write);
        return 0;
    }

    /// <summary>Fills the caller's buffer with a JSON array, one element per item as <paramref name="writeItem"/> writes it.</summary>
    /// <returns><c>FLOE_OK</c>, for the export to return.</returns>
    public static int JsonArray<T>(FloeBuf* @out, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        NativeJson.Fill(@out, json =>
        {
            json.WriteStartArray();
            foreach (T item in items)
            {
                writeItem(json, item);
            }

            json.WriteEndArray();
        });
        return 0;
    }

    /// <summary>Records <paramref name="exception"/> as the thread's last error and returns its <c>FLOE_E*</c> code.</summary>
    /// <param name="exception">What the export caught.</param>
    /// <param name="function">The export's C name, which prefixes the message.</param>
    /// <returns>A negative code; never throws.</returns>
    public static int Fail(Exception exception, string function)
    {
        FloeErrorCode code = FloeErrorCode.Internal;
        try
        {
            code = StatusMapping.ToCode(exception);
            LastError.Set(code, StatusMapping.ToMessage(exception, code, function));
        }
        catch (Exception)
        {
            // Building the message failed (out of memory); still report the code.
            LastError.Set(code, function);
        }

        return (int)code;
    }

    /// <summary>Records a failure that was detected without an exception and returns its code. Never throws.</summary>
    public static int Fail(FloeErrorCode code, string function, string message)
    {
        try
        {
            LastError.Set(code, string.Concat(function, ": ", message));
        }
        catch (Exception)
        {
            LastError.Set(code, function);
        }

        return (int)code;
    }
}
