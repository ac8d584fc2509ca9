namespace Floe.Core.Types;

/// <summary>
/// A primitive Iceberg type. In memory, values of each type use one CLR representation everywhere in the engine
/// (partition tuples, bounds, literals): boolean→bool, int→int, long→long, float→float, double→double,
/// decimal→decimal, date→int (days), time→long (µs), timestamp/timestamptz→long (µs),
/// timestamp_ns/timestamptz_ns→long (ns), string→string, uuid→Guid, fixed/binary→byte[].
/// </summary>
public sealed record PrimitiveType : IcebergType
{
    private PrimitiveType(TypeId id, int precision = 0, int scale = 0, int length = 0)
    {
        Id = id;
        Precision = precision;
        Scale = scale;
        Length = length;
    }

    /// <summary>The type id.</summary>
    public TypeId Id { get; }

    /// <summary>Decimal precision (digits), 0 for other types.</summary>
    public int Precision { get; }

    /// <summary>Decimal scale, 0 for other types.</summary>
    public int Scale { get; }

    /// <summary>Byte length of fixed[L], 0 for other types.</summary>
    public int Length { get; }

    /// <inheritdoc />
    public override bool IsPrimitive => true;

    /// <summary>boolean</summary>
    public static PrimitiveType Boolean { get; } = new(TypeId.Boolean);
    /// <summary>int</summary>
    public static PrimitiveType Int { get; } = new(TypeId.Int);
    /// <summary>long</summary>
    public static PrimitiveType Long { get; } = new(TypeId.Long);
    /// <summary>float</summary>
    public static PrimitiveType Float { get; } = new(TypeId.Float);
    /// <summary>double</summary>
    public static PrimitiveType Double { get; } = new(TypeId.Double);
    /// <summary>date</summary>
    public static PrimitiveType Date { get; } = new(TypeId.Date);
    /// <summary>time</summary>
    public static PrimitiveType Time { get; } = new(TypeId.Time);
    /// <summary>timestamp</summary>
    public static PrimitiveType Timestamp { get; } = new(TypeId.Timestamp);
    /// <summary>timestamptz</summary>
    public static PrimitiveType TimestampTz { get; } = new(TypeId.TimestampTz);
    /// <summary>timestamp_ns</summary>
    public static PrimitiveType TimestampNs { get; } = new(TypeId.TimestampNs);
    /// <summary>timestamptz_ns</summary>
    public static PrimitiveType TimestampTzNs { get; } = new(TypeId.TimestampTzNs);
    /// <summary>string</summary>
    public static PrimitiveType String { get; } = new(TypeId.String);
    /// <summary>uuid</summary>
    public static PrimitiveType Uuid { get; } = new(TypeId.Uuid);
    /// <summary>binary</summary>
    public static PrimitiveType Binary { get; } = new(TypeId.Binary);

    /// <summary>decimal(precision, scale); precision 1..38.</summary>
    public static PrimitiveType Decimal(int precision, int scale) => new(TypeId.Decimal, precision, scale);

    /// <summary>fixed[length].</summary>
    public static PrimitiveType Fixed(int length) => new(TypeId.Fixed, length: length);

    /// <summary>The spec's type string: <c>long</c>, <c>decimal(9,2)</c>, <c>fixed[16]</c>, ...</summary>
    public override string ToString() => Id switch
    {
        TypeId.Boolean => "boolean",
        TypeId.Int => "int",
        TypeId.Long => "long",
        TypeId.Float => "float",
        TypeId.Double => "double",
        TypeId.Decimal => $"decimal({Precision}, {Scale})",
        TypeId.Date => "date",
        TypeId.Time => "time",
        TypeId.Timestamp => "timestamp",
        TypeId.TimestampTz => "timestamptz",
        TypeId.TimestampNs => "timestamp_ns",
        TypeId.TimestampTzNs => "timestamptz_ns",
        TypeId.String => "string",
        TypeId.Uuid => "uuid",
        TypeId.Fixed => $"fixed[{Length}]",
        TypeId.Binary => "binary",
        _ => Id.ToString(),
    };
}
