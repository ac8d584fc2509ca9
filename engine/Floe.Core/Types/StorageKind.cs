namespace Floe.Core.Types;

/// <summary>
/// How values of a primitive type are held (engine CLR values, Arrow buffers, bound bytes): the cases of the switches
/// that convert, compare, gather or measure values, so a new type id (as timestamp_ns was) is classified once, here.
/// </summary>
public enum StorageKind
{
    /// <summary>boolean</summary>
    Boolean,
    /// <summary>32-bit integer: int, date</summary>
    Int32,
    /// <summary>64-bit integer: long, time and the timestamps (micro- and nanosecond)</summary>
    Int64,
    /// <summary>float</summary>
    Float32,
    /// <summary>double</summary>
    Float64,
    /// <summary>decimal(P,S)</summary>
    Decimal,
    /// <summary>UTF-8 string</summary>
    String,
    /// <summary>16-byte uuid</summary>
    Uuid,
    /// <summary>fixed[L] bytes</summary>
    Fixed,
    /// <summary>variable-length bytes</summary>
    Binary,
}

/// <summary>The <see cref="StorageKind"/> of each <see cref="TypeId"/>.</summary>
public static class StorageKinds
{
    /// <summary>How values of type <paramref name="id"/> are held.</summary>
    public static StorageKind Storage(this TypeId id) => id switch
    {
        TypeId.Boolean => StorageKind.Boolean,
        TypeId.Int or TypeId.Date => StorageKind.Int32,
        TypeId.Long or TypeId.Time or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs => StorageKind.Int64,
        TypeId.Float => StorageKind.Float32,
        TypeId.Double => StorageKind.Float64,
        TypeId.Decimal => StorageKind.Decimal,
        TypeId.String => StorageKind.String,
        TypeId.Uuid => StorageKind.Uuid,
        TypeId.Fixed => StorageKind.Fixed,
        TypeId.Binary => StorageKind.Binary,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown type id"),
    };
}
