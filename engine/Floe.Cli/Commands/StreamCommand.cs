using System.CommandLine;
using System.Runtime.InteropServices;
using Floe.Application.Streaming;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Online;

namespace Floe.Cli.Commands;

/// <summary><c>floe stream DEF --source -|FILE.jsonl</c>: one feature definition, applied to a stream of events.</summary>
internal static class StreamCommand
{
    public static Command Build()
    {
        var definition = new Argument<string>("DEF") { Description = "Feature group definition (.json, .yaml); its source table receives the raw events" };
        var source = new Option<string>("--source") { Description = "Events: a JSON-lines file, - for standard input, or redis:STREAM[?group=G&consumer=C&end=empty] (a Redis Stream read by a consumer group; each entry's 'event' field is one JSON object)", Required = true };
        var streamId = new Option<string?>("--stream-id") { Description = "Name of the stream in committed snapshots (default: the source)" };
        var commitEvents = new Option<int>("--commit-every-events") { Description = "Commit raw events to Iceberg every N events", DefaultValueFactory = _ => 100_000 };
        var commitSeconds = new Option<double>("--commit-every-seconds") { Description = "Commit raw events at least every S seconds", DefaultValueFactory = _ => 10 };
        var lateness = new Option<string>("--lateness") { Description = "Allowed lateness of events (e.g. 30s, 5m, 1h)", DefaultValueFactory = _ => "5m" };
        var deadLetter = new Option<string?>("--dead-letter") { Description = "File receiving rejected events with the reason (JSON lines)" };
        var command = new Command("stream", "Compute features over a stream of events: online values per micro-batch, raw events committed to the source table")
        {
            definition, source, streamId, commitEvents, commitSeconds, lateness, deadLetter,
        };
        CommandRunner.SetAction(command, parse =>
        {
            if (!Durations.TryParse(parse.GetValue(lateness)!, out var latenessMicros))
            {
                throw Errors.InvalidArgument($"--lateness: '{parse.GetValue(lateness)}' is not a duration (e.g. 30s, 5m, 1h)");
            }
            var path = parse.GetValue(source)!;
            var options = new StreamOptions
            {
                CommitEveryEvents = parse.GetValue(commitEvents),
                CommitEvery = TimeSpan.FromSeconds(parse.GetValue(commitSeconds)),
                AllowedLateness = TimeSpan.FromTicks(latenessMicros * 10),
                DeadLetterPath = parse.GetValue(deadLetter),
                StreamId = parse.GetValue(streamId),
            };
            using var stop = new CancellationTokenSource();
            // Ctrl-C and SIGTERM stop reading; what is buffered is committed before the process exits.
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            // Hot values go to Redis when one is given (--redis or $FLOE_REDIS); without it only the raw events are kept.
            using var store = OnlineCommands.Settings(parse) is { } redis ? OnlineStore.Connect(redis) : null;
            using IStreamSource events = path == "-"
                ? new JsonLinesStreamSource(Console.OpenStandardInput(), "stdin")
                : path.StartsWith("redis:", StringComparison.Ordinal)
                    ? RedisStreamSource.Parse((store ?? throw Errors.InvalidArgument("--source redis:STREAM needs --redis HOST:PORT")).Database, path)
                    : new JsonLinesStreamSource(OpenInput(path), Path.GetFullPath(path));
            var online = store is null ? null : new RedisOnlineWriter(store);
            var result = new StreamService(GlobalOptions.OpenWarehouse(parse)).Run(parse.GetValue(definition)!, events, options, online, stop.Token);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(result.WriteJson);
            }
            else
            {
                Console.WriteLine(result.ToText());
            }
            return 0;
        });
        return command;
    }

    private static FileStream OpenInput(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.NotFound($"{path}: event file not found");
        }
    }
}
