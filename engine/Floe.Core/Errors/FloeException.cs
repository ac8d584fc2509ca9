namespace Floe.Core.Errors;

/// <summary>
/// The one exception type the engine throws on purpose. Its <see cref="Code"/> is what the CLI and C ABI report;
/// its message names the file, field, line or snapshot at fault.
/// </summary>
public sealed class FloeException : Exception
{
    /// <summary>Creates an error with a code and a message that names what is wrong.</summary>
    public FloeException(FloeErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>The typed code of this error.</summary>
    public FloeErrorCode Code { get; }

    /// <summary>True when repeating the operation against fresh state may succeed (commit conflicts).</summary>
    public bool Retryable => Code == FloeErrorCode.CommitConflict;
}
