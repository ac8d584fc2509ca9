using Floe.Core.Errors;

namespace Floe.Parquet;

/// <summary>
/// How Parquet decoding failures become errors: a corrupt file is InvalidData naming the file and the problem
/// (never a .NET exception name or the file's bytes), while a failing disk stays an I/O error. The footer itself
/// is checked by <see cref="Reading.ParquetFooter"/>.
/// </summary>
internal static class ParquetFileCheck
{
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
