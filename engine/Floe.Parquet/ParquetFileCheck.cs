using System.Buffers.Binary;
using Floe.Core.Errors;
using Floe.Parquet.Thrift;

namespace Floe.Parquet;

/// <summary>
/// What a Parquet file must satisfy before a decoder is handed its footer, and how decoding failures become
/// errors: a corrupt file is InvalidData naming the file and the problem (never a .NET exception name or the
/// file's bytes), while a failing disk stays an I/O error.
/// </summary>
internal static class ParquetFileCheck
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>
    /// Checks the magic numbers, the footer length and the footer's Thrift structure (lengths within bounds,
    /// bounded nesting), so the footer decoder never runs past its buffer or loops on a corrupt count.
    /// </summary>
    /// <exception cref="FloeException">InvalidData naming <paramref name="location"/>.</exception>
    public static void CheckFooter(Stream stream, string location)
    {
        if (!stream.CanSeek) return;
        var length = stream.Length;
        if (length < 12) throw Corrupt(location, $"{length} bytes is too short for a Parquet file");
        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(head);
        stream.Position = length - 8;
        stream.ReadExactly(tail);
        if (!head.SequenceEqual(Magic) || !tail[4..].SequenceEqual(Magic)) throw Corrupt(location, "the PAR1 magic number is missing at the start or end");
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12) throw Corrupt(location, $"footer length {footerLength} does not fit a file of {length} bytes");
        var footer = new byte[footerLength];
        stream.Position = length - 8 - footerLength;
        stream.ReadExactly(footer);
        stream.Position = 0;
        try
        {
            var reader = new ThriftCompactReader(footer);
            reader.Skip(ThriftCompactReader.TypeStruct);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(location, "footer metadata: " + e.Message);
        }
    }

    /// <summary>The error for an exception raised while decoding <paramref name="location"/>.</summary>
    public static FloeException Wrap(string location, Exception e) => e switch
    {
        FloeException f => f,
        EndOfStreamException => Corrupt(location, "the file is truncated"),
        IOException io => Errors.Io(location, io),
        InvalidDataException or FormatException or NotSupportedException => Corrupt(location, Describe(e), e),
        _ => Corrupt(location, "a length, offset or value in the file is out of range", e),
    };

    // Parquet.Net's messages may name .NET types ("type System.Half is not supported"), which users must never see.
    private static string Describe(Exception e) =>
        e.Message.Contains("System.", StringComparison.Ordinal) || e.Message.Contains("Exception", StringComparison.Ordinal)
            ? (e is NotSupportedException ? "a type or encoding that is not supported" : "a value in the file is invalid")
            : e.Message;

    private static FloeException Corrupt(string location, string what, Exception? inner = null) =>
        Errors.InvalidData(location, $"corrupt Parquet ({what.ReplaceLineEndings(" ")})", inner);
}
