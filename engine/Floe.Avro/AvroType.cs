namespace Floe.Avro;

/// <summary>The Avro schema kinds (Avro 1.11 specification, "Schema Declaration").</summary>
public enum AvroType
{
    /// <summary>null: no value, zero bytes.</summary>
    Null,
    /// <summary>boolean: one byte, 0 or 1.</summary>
    Boolean,
    /// <summary>int: zigzag varint, 32-bit.</summary>
    Int,
    /// <summary>long: zigzag varint, 64-bit.</summary>
    Long,
    /// <summary>float: 4 bytes little-endian IEEE 754.</summary>
    Float,
    /// <summary>double: 8 bytes little-endian IEEE 754.</summary>
    Double,
    /// <summary>bytes: long length then the bytes.</summary>
    Bytes,
    /// <summary>string: long length then UTF-8 bytes.</summary>
    String,
    /// <summary>record: the fields in schema order.</summary>
    Record,
    /// <summary>enum: int symbol index.</summary>
    Enum,
    /// <summary>array: blocks of items, ending with a zero count.</summary>
    Array,
    /// <summary>map: blocks of (string key, value) pairs, ending with a zero count.</summary>
    Map,
    /// <summary>union: long branch index, then the branch's value.</summary>
    Union,
    /// <summary>fixed: exactly Size bytes.</summary>
    Fixed,
}
