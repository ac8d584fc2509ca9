namespace Floe.Avro;

/// <summary>A primitive Avro type (null, boolean, int, long, float, double, bytes, string), possibly annotated.</summary>
public sealed class AvroPrimitiveSchema : AvroSchema
{
    /// <summary>Creates a primitive node; use the static instances for unannotated types.</summary>
    public AvroPrimitiveSchema(AvroType type)
        : base(type)
    {
        if (type is AvroType.Record or AvroType.Enum or AvroType.Array or AvroType.Map or AvroType.Union or AvroType.Fixed)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a primitive Avro type");
        }
    }

    /// <summary>null</summary>
    public static AvroPrimitiveSchema Null { get; } = new(AvroType.Null);
    /// <summary>boolean</summary>
    public static AvroPrimitiveSchema Boolean { get; } = new(AvroType.Boolean);
    /// <summary>int</summary>
    public static AvroPrimitiveSchema Int { get; } = new(AvroType.Int);
    /// <summary>long</summary>
    public static AvroPrimitiveSchema Long { get; } = new(AvroType.Long);
    /// <summary>float</summary>
    public static AvroPrimitiveSchema Float { get; } = new(AvroType.Float);
    /// <summary>double</summary>
    public static AvroPrimitiveSchema Double { get; } = new(AvroType.Double);
    /// <summary>bytes</summary>
    public static AvroPrimitiveSchema Bytes { get; } = new(AvroType.Bytes);
    /// <summary>string</summary>
    public static AvroPrimitiveSchema String { get; } = new(AvroType.String);

    /// <summary>The Avro name of a primitive type (<c>int</c>, <c>string</c>, ...).</summary>
    public static string NameOf(AvroType type) => type switch
    {
        AvroType.Null => "null",
        AvroType.Boolean => "boolean",
        AvroType.Int => "int",
        AvroType.Long => "long",
        AvroType.Float => "float",
        AvroType.Double => "double",
        AvroType.Bytes => "bytes",
        AvroType.String => "string",
        AvroType.Record => "record",
        AvroType.Enum => "enum",
        AvroType.Array => "array",
        AvroType.Map => "map",
        AvroType.Union => "union",
        AvroType.Fixed => "fixed",
        _ => type.ToString(),
    };

    /// <summary>The primitive type of an Avro type name, or null when the name is not primitive.</summary>
    public static AvroType? TypeOf(string name) => name switch
    {
        "null" => AvroType.Null,
        "boolean" => AvroType.Boolean,
        "int" => AvroType.Int,
        "long" => AvroType.Long,
        "float" => AvroType.Float,
        "double" => AvroType.Double,
        "bytes" => AvroType.Bytes,
        "string" => AvroType.String,
        _ => null,
    };
}
