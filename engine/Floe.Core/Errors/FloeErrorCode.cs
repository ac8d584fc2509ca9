namespace Floe.Core.Errors;

/// <summary>
/// Typed error codes shared by the engine, the CLI (exit status) and the C ABI (<c>FLOE_E*</c>).
/// Values are negative and stable: bindings map them to exception types, never message text.
/// </summary>
public enum FloeErrorCode
{
    /// <summary>An unexpected internal failure (a bug).</summary>
    Internal = -1,
    /// <summary>A caller-supplied argument is malformed or out of range.</summary>
    InvalidArgument = -2,
    /// <summary>A table, namespace, snapshot, ref or file does not exist.</summary>
    NotFound = -3,
    /// <summary>A table, namespace or ref of that name already exists.</summary>
    AlreadyExists = -4,
    /// <summary>Input data or a stored file is corrupt or does not match the schema.</summary>
    InvalidData = -5,
    /// <summary>An optimistic commit lost a race with a conflicting commit; the operation may be retried.</summary>
    CommitConflict = -6,
    /// <summary>Reading or writing storage failed.</summary>
    Io = -7,
    /// <summary>The feature is valid Iceberg but not supported by this engine.</summary>
    Unsupported = -8,
    /// <summary>A handle passed across the C ABI is closed, forged or of the wrong type.</summary>
    InvalidHandle = -9,
    /// <summary>An audit (write-audit-publish) or consistency check failed.</summary>
    ValidationFailed = -10,
    /// <summary>The caller cancelled the operation (e.g. a backfill's progress callback asked to stop); nothing more was committed.</summary>
    Cancelled = -11,
}
