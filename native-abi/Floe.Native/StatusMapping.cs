using System.Text;
using Floe.Core.Errors;

namespace Floe.Native;

/// <summary>
/// Maps exceptions to <c>FLOE_E*</c> codes and codes to their <c>floe_error.category</c> names.
/// The kind of failure comes from <see cref="ErrorClassifier"/> in Floe.Core, which the CLI uses too.
/// </summary>
internal static unsafe class StatusMapping
{
    // Indexed by -code (0 = FLOE_OK ... 11 = FLOE_ECANCELLED); must follow FloeErrorCode and floe.h.
    private static readonly string[] CategoryNames = BuildCategoryNames();

    // Static NUL-terminated copies: floe_error.category points here for the life of the process.
    private static readonly byte*[] CategoryPointers = AllocateCategories();

    private static readonly byte* UnknownCategory = Utf8Marshal.AllocStatic("unknown"u8);

    /// <summary>The code an exception reports across the ABI: <see cref="ErrorClassifier.Classify"/>, shared with the CLI.</summary>
    public static FloeErrorCode ToCode(Exception exception) => ErrorClassifier.Classify(exception);

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

        builder.Append(ErrorClassifier.Message(exception));
        return builder.ToString();
    }

    /// <summary>The stable category name of a code, e.g. <c>invalid_argument</c>.</summary>
    public static string CategoryName(int code) =>
        code <= 0 && -code < CategoryNames.Length ? CategoryNames[-code] : "unknown";

    /// <summary>Static UTF-8 category name of a code; never freed, never NULL.</summary>
    public static byte* Category(int code) =>
        code <= 0 && -code < CategoryPointers.Length ? CategoryPointers[-code] : UnknownCategory;

    private static string[] BuildCategoryNames()
    {
        var names = new string[12];
        names[0] = "ok";
        for (int i = 1; i < names.Length; i++)
        {
            names[i] = ErrorClassifier.CategoryName((FloeErrorCode)(-i));
        }

        return names;
    }

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
