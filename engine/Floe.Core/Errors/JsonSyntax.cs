using System.Text.Json;
using System.Text.RegularExpressions;

namespace Floe.Core.Errors;

/// <summary>
/// A System.Text.Json syntax error as one line for a user: where it is and what kind of error, without the
/// parser's position suffix or the offending character of the file (errors name the file, never its content).
/// </summary>
public static partial class JsonSyntax
{
    /// <summary>"line L, byte B: reason" for <paramref name="e"/>.</summary>
    public static string Describe(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var reason = e.Message;
        var suffix = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0) reason = reason[..suffix];
        reason = QuotedCharacter().Replace(reason, "a character").TrimEnd('.', ' ');
        var where = e.LineNumber is { } line ? $"line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1}" : "syntax";
        return $"{where}: {ErrorClassifier.OneLine(reason)}";
    }

    // The parser quotes the byte it stopped at ("'i' is an invalid start of a value", "'0xFF' is invalid ...").
    [GeneratedRegex(@"'(?:[^']|0x[0-9A-Fa-f]{2}){1,4}'(?= is)")]
    private static partial Regex QuotedCharacter();
}
