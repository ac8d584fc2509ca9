namespace Floe.Core.Errors;

/// <summary>Builds <see cref="FloeException"/>s with consistent messages, so throw sites stay one line.</summary>
public static class Errors
{
    /// <summary>A caller argument is wrong.</summary>
    public static FloeException InvalidArgument(string message) => new(FloeErrorCode.InvalidArgument, message);

    /// <summary>Something named does not exist.</summary>
    public static FloeException NotFound(string message) => new(FloeErrorCode.NotFound, message);

    /// <summary>Something named exists already.</summary>
    public static FloeException AlreadyExists(string message) => new(FloeErrorCode.AlreadyExists, message);

    /// <summary>A file's content is invalid; the message starts with the file's path.</summary>
    public static FloeException InvalidData(string file, string message, Exception? inner = null) =>
        new(FloeErrorCode.InvalidData, $"{file}: {message}", inner);

    /// <summary>Input that is not a file (a value, an expression) is invalid.</summary>
    public static FloeException InvalidData(string message) => new(FloeErrorCode.InvalidData, message);

    /// <summary>A commit lost the compare-and-swap race or conflicts with a concurrent commit.</summary>
    public static FloeException CommitConflict(string message) => new(FloeErrorCode.CommitConflict, message);

    /// <summary>A valid but unsupported feature.</summary>
    public static FloeException Unsupported(string message) => new(FloeErrorCode.Unsupported, message);

    /// <summary>Storage I/O failed.</summary>
    public static FloeException Io(string path, Exception inner) =>
        new(FloeErrorCode.Io, $"{path}: {inner.Message}", inner);

    /// <summary>An audit or consistency check failed.</summary>
    public static FloeException ValidationFailed(string message) => new(FloeErrorCode.ValidationFailed, message);
}
