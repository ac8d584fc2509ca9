namespace Floe.Core.Types;

/// <summary>The primitive type ids of the Iceberg spec.</summary>
public enum TypeId
{
    /// <summary>boolean</summary>
    Boolean,
    /// <summary>int: 32-bit signed</summary>
    Int,
    /// <summary>long: 64-bit signed</summary>
    Long,
    /// <summary>float: 32-bit IEEE 754</summary>
    Float,
    /// <summary>double: 64-bit IEEE 754</summary>
    Double,
    /// <summary>decimal(P,S)</summary>
    Decimal,
    /// <summary>date: days since 1970-01-01</summary>
    Date,
    /// <summary>time: microseconds since midnight</summary>
    Time,
    /// <summary>timestamp: microseconds since epoch, no zone</summary>
    Timestamp,
    /// <summary>timestamptz: microseconds since epoch, UTC</summary>
    TimestampTz,
    /// <summary>timestamp_ns (v3): nanoseconds since epoch, no zone</summary>
    TimestampNs,
    /// <summary>timestamptz_ns (v3): nanoseconds since epoch, UTC</summary>
    TimestampTzNs,
    /// <summary>string: UTF-8</summary>
    String,
    /// <summary>uuid: 16 bytes</summary>
    Uuid,
    /// <summary>fixed[L]</summary>
    Fixed,
    /// <summary>binary: variable length</summary>
    Binary,
}
