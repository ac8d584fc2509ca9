using Floe.Core.Errors;

namespace Floe.Avro;

/// <summary>Block compression codecs of the object container format (<c>avro.codec</c>).</summary>
public enum AvroCodec
{
    /// <summary><c>null</c>: blocks are stored as they are.</summary>
    Null,
    /// <summary><c>deflate</c>: raw RFC 1951 deflate, no zlib header (what Java writes by default for manifests).</summary>
    Deflate,
    /// <summary><c>snappy</c>: raw snappy followed by the big-endian CRC-32 of the uncompressed block (read only).</summary>
    Snappy,
    /// <summary><c>zstandard</c>: one zstd frame per block.</summary>
    Zstandard,
}

/// <summary>Names of <see cref="AvroCodec"/> values as they appear in <c>avro.codec</c>.</summary>
public static class AvroCodecNames
{
    /// <summary>The <c>avro.codec</c> value of a codec.</summary>
    public static string NameOf(AvroCodec codec) => codec switch
    {
        AvroCodec.Null => "null",
        AvroCodec.Deflate => "deflate",
        AvroCodec.Snappy => "snappy",
        AvroCodec.Zstandard => "zstandard",
        _ => throw new ArgumentOutOfRangeException(nameof(codec)),
    };

    /// <summary>Parses an <c>avro.codec</c> value; unknown codecs are Unsupported, naming the file.</summary>
    public static AvroCodec Parse(string name, string location) => name switch
    {
        "null" or "" => AvroCodec.Null,
        "deflate" => AvroCodec.Deflate,
        "snappy" => AvroCodec.Snappy,
        "zstandard" or "zstd" => AvroCodec.Zstandard,
        _ => throw Errors.Unsupported($"{location}: Avro codec '{name}' is not supported (null, deflate, snappy, zstandard are)"),
    };
}
