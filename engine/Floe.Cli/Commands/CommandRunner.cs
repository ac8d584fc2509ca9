using System.CommandLine;
using System.Text.Json;
using Floe.Core.Errors;

namespace Floe.Cli.Commands;

/// <summary>
/// Runs a command body and turns failures into one clear line on stderr and a non-zero exit code derived from
/// the error code (2 invalid argument, 3 not found, 4 exists, 5 invalid data, 6 conflict, 7 I/O, 8 unsupported, 10 validation).
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
        catch (FloeException e)
        {
            Console.Error.WriteLine($"floe: error: {e.Message}");
            return ExitCode(e.Code);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"floe: error: {e.Message}");
            return 7;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"floe: internal error: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    public static int ExitCode(FloeErrorCode code) => code switch
    {
        FloeErrorCode.InvalidArgument => 2,
        FloeErrorCode.NotFound => 3,
        FloeErrorCode.AlreadyExists => 4,
        FloeErrorCode.InvalidData => 5,
        FloeErrorCode.CommitConflict => 6,
        FloeErrorCode.Io => 7,
        FloeErrorCode.Unsupported => 8,
        FloeErrorCode.ValidationFailed => 10,
        _ => 1,
    };

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
