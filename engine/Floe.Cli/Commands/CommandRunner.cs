using System.CommandLine;
using System.Text.Json;
using Floe.Core.Errors;

namespace Floe.Cli.Commands;

/// <summary>
/// Runs a command body and turns failures into one line on stderr (a JSON object under <c>--json</c>) and the exit
/// status of their code (<see cref="ErrorClassifier.ExitCode"/>: 1 internal, 2 invalid argument, 3 not found, 4 exists,
/// 5 invalid data, 6 conflict, 7 I/O, 8 unsupported, 10 validation failed).
/// </summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, Func<ParseResult, int> body) => command.SetAction(parse => Run(parse, body));

    public static int Run(ParseResult parse, Func<ParseResult, int> body)
    {
        try
        {
            return body(parse);
        }
        catch (Exception e)
        {
            return Fail(WantsJson(parse), ErrorClassifier.Classify(e), ErrorClassifier.Message(e));
        }
    }

    /// <summary>The exit status of a failure with <paramref name="code"/>; the table lives in <see cref="ErrorClassifier.ExitCode"/>.</summary>
    public static int ExitCode(FloeErrorCode code) => ErrorClassifier.ExitCode(code);

    /// <summary>
    /// Reports a failure on stderr, <c>floe: error: MESSAGE</c> (<c>floe: internal error: MESSAGE</c> for a bug), or
    /// <c>{"error":{"code":"not_found","message":"..."}}</c> when <paramref name="json"/>, and returns its exit status.
    /// </summary>
    public static int Fail(bool json, FloeErrorCode code, string message)
    {
        if (json)
        {
            using var stderr = Console.OpenStandardError();
            using (var writer = new Utf8JsonWriter(stderr, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("error");
                writer.WriteString("code", ErrorClassifier.CategoryName(code));
                writer.WriteString("message", message);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            stderr.WriteByte((byte)'\n');
        }
        else
        {
            Console.Error.WriteLine(code == FloeErrorCode.Internal ? $"floe: internal error: {message}" : $"floe: error: {message}");
        }

        return ErrorClassifier.ExitCode(code);
    }

    /// <summary>True when <c>--json</c> was given; read from the tokens too, since a failed parse may not bind it.</summary>
    public static bool WantsJson(ParseResult parse)
    {
        try
        {
            if (parse.GetValue(GlobalOptions.Json)) return true;
        }
        catch (Exception)
        {
            // A parse that failed may refuse to bind values; the tokens still say whether --json was asked for.
        }

        foreach (var token in parse.Tokens)
        {
            if (token.Value == "--json") return true;
        }

        return false;
    }

    /// <summary>Writes a JSON document to stdout.</summary>
    public static void WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }
        stdout.WriteByte((byte)'\n');
    }
}
