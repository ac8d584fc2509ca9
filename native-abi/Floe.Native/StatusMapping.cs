using System.Text;
using Floe.Core.Errors;

namespace Floe.Native;

/// <summary>
/// Maps exceptions to <c>FLOE_E*</c> codes and codes to their <c>floe_error.category</c> names.
/// This is the only place the C ABI decides what kind of failure an exception is.
/// </summary>
internal static unsafe class StatusMapping
{
    // Indexed by -code (0 = FLOE_OK ... 10 = FLOE_EVALIDATION); must follow FloeErrorCode and floe.h.
    private static readonly string[] CategoryNames =
    [
        "ok", "internal", "invalid_argument", "not_found", "exists", "invalid_data",
        "conflict", "io", "unsupported", "invalid_handle", "validation",
    ];

    // Static NUL-terminated copies: floe_error.category points here for the life of the process.
    private static readonly byte*[] CategoryPointers = AllocateCategories();

    private static readonly byte* UnknownCategory = Utf8Marshal.AllocStatic("unknown"u8);

    /// <summary>The code an exception reports across the ABI.</summary>
    /// <remarks>
    /// <see cref="FloeException"/> carries its own code. Framework exceptions are classified by what they mean
    /// to a caller; anything unexpected is <see cref="FloeErrorCode.Internal"/> (a bug).
    /// </remarks>
    public static FloeErrorCode ToCode(Exception exception) => exception switch
    {
        FloeException floe => floe.Code,
        ArgumentException => FloeErrorCode.InvalidArgument,
        ObjectDisposedException => FloeErrorCode.InvalidHandle,
        FileNotFoundException or DirectoryNotFoundException => FloeErrorCode.NotFound,
        EndOfStreamException or InvalidDataException or FormatException => FloeErrorCode.InvalidData,
        IOException or UnauthorizedAccessException => FloeErrorCode.Io,
        NotSupportedException or NotImplementedException => FloeErrorCode.Unsupported,
        _ => FloeErrorCode.Internal,
    };

    /// <summary>The message an exception reports across the ABI, prefixed with the export's name.</summary>
    /// <remarks>Unexpected exceptions also name their type, since their text alone rarely locates the bug.</remarks>
    public static string ToMessage(Exception exception, FloeErrorCode code, string function)
    {
        var builder = new StringBuilder(function.Length + exception.Message.Length + 48);
        builder.Append(function).Append(": ");
        if (code == FloeErrorCode.Internal && exception is not FloeException)
        {
            builder.Append(exception.GetType().FullName).Append(": ");
        }

        builder.Append(exception.Message);
        return builder.ToString();
    }

    /// <summary>The stable category name of a code, e.g. <c>invalid_argument</c>.</summary>
    public static string CategoryName(int code) =>
        code <= 0 && -code < CategoryNames.Length ? CategoryNames[-code] : "unknown";

    /// <summary>Static UTF-8 category name of a code; never freed, never NULL.</summary>
    public static byte* Category(int code) =>
        code <= 0 && -code < CategoryPointers.Length ? CategoryPointers[-code] : UnknownCategory;

    private static byte*[] AllocateCategories()
    {
        var pointers = new byte*[CategoryNames.Length];
        for (int i = 0; i < pointers.Length; i++)
        {
            pointers[i] = Utf8Marshal.AllocStatic(Encoding.UTF8.GetBytes(CategoryNames[i]));
        }

        return pointers;
    }
}
