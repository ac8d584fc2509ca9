namespace Floe.Core.Expressions;

/// <summary>The value types of columns inside the engine.</summary>
public enum ValueKind
{
    /// <summary>Boolean, stored as 0/1 longs.</summary>
    Bool,
    /// <summary>64-bit signed integer.</summary>
    Int64,
    /// <summary>IEEE double.</summary>
    Float64,
    /// <summary>UTF-16 string.</summary>
    String,
    /// <summary>Microseconds since the Unix epoch, UTC.</summary>
    Timestamp,
}
