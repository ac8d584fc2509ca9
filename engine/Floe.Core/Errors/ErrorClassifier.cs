using System.Text.Json;

namespace Floe.Core.Errors;

/// <summary>
/// The one place that decides what kind of failure an exception is, and what the CLI's exit status for each kind is.
/// The CLI, the C ABI and the bindings all classify through here, so a failure reads the same on every face.
/// </summary>
public static class ErrorClassifier
{
    /// <summary>The code <paramref name="exception"/> reports.</summary>
    /// <remarks>
    /// <see cref="FloeException"/> carries its own code. Framework exceptions are classified by what they mean to a
    /// caller (a bad argument, a missing file, unreadable content, failed storage); anything else is
    /// <see cref="FloeErrorCode.Internal"/>, a bug. Order matters: the file-not-found and end-of-stream exceptions are
    /// <see cref="IOException"/>s too, and <see cref="ObjectDisposedException"/> means a handle used after close.
    /// </remarks>
    public static FloeErrorCode Classify(Exception exception) => exception switch
    {
        FloeException floe => floe.Code,
        ArgumentException => FloeErrorCode.InvalidArgument,
        ObjectDisposedException => FloeErrorCode.InvalidHandle,
        OperationCanceledException => FloeErrorCode.Cancelled,
        FileNotFoundException or DirectoryNotFoundException => FloeErrorCode.NotFound,
        EndOfStreamException or InvalidDataException or JsonException or FormatException => FloeErrorCode.InvalidData,
        IOException or UnauthorizedAccessException => FloeErrorCode.Io,
        NotSupportedException or NotImplementedException => FloeErrorCode.Unsupported,
        _ => FloeErrorCode.Internal,
    };

    /// <summary>
    /// The process exit status of a failure with <paramref name="code"/>: the code's magnitude (1 internal, 2 invalid
    /// argument, 3 not found, 4 exists, 5 invalid data, 6 commit conflict, 7 I/O, 8 unsupported, 9 invalid handle,
    /// 10 validation failed, 11 cancelled), so exit codes and <c>FLOE_E*</c> values are one table.
    /// </summary>
    public static int ExitCode(FloeErrorCode code)
    {
        int status = -(int)code;
        return status is >= 1 and <= 11 ? status : 1;
    }

    /// <summary>The stable lower-case name of a code, e.g. <c>invalid_argument</c>, used in JSON errors and by the C ABI.</summary>
    public static string CategoryName(FloeErrorCode code) => code switch
    {
        FloeErrorCode.Internal => "internal",
        FloeErrorCode.InvalidArgument => "invalid_argument",
        FloeErrorCode.NotFound => "not_found",
        FloeErrorCode.AlreadyExists => "exists",
        FloeErrorCode.InvalidData => "invalid_data",
        FloeErrorCode.CommitConflict => "conflict",
        FloeErrorCode.Io => "io",
        FloeErrorCode.Unsupported => "unsupported",
        FloeErrorCode.InvalidHandle => "invalid_handle",
        FloeErrorCode.ValidationFailed => "validation",
        FloeErrorCode.Cancelled => "cancelled",
        _ => "unknown",
    };

    /// <summary>
    /// The message of <paramref name="exception"/> on one line (line breaks become spaces), so every face can print
    /// an error as a single line. No type name is added: faces say "internal error" for <see cref="FloeErrorCode.Internal"/>.
    /// </summary>
    public static string Message(Exception exception) => OneLine(exception.Message);

    /// <summary><paramref name="text"/> on one line: line breaks and the blanks around them become one space.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny('\r', '\n') < 0) return text;
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
