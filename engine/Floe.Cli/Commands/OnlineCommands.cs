using Floe.Application.Features;
using System.CommandLine;
using System.Globalization;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Iceberg.Scan;
using Floe.Online;
using Floe.Core.Json;

namespace Floe.Cli.Commands;

/// <summary><c>floe materialize</c>, <c>floe get</c>, <c>floe consistency-check</c>: the online store on Redis.</summary>
internal static class OnlineCommands
{
    public static readonly Option<string?> Redis = new("--redis")
    {
        Description = "Redis: HOST:PORT, redis://[user:password@]host:port, or a StackExchange.Redis configuration string (default: $FLOE_REDIS)",
        Recursive = true,
    };

    public static readonly Option<string?> RedisUser = new("--redis-user") { Description = "Redis ACL user", Recursive = true };

    public static readonly Option<string?> RedisPassword = new("--redis-password") { Description = "Redis password (default: $FLOE_REDIS_PASSWORD)", Recursive = true };

    public static readonly Option<bool> RedisTls = new("--redis-tls") { Description = "Connect to Redis with TLS", Recursive = true };

    public static readonly Option<string> RedisPrefix = new("--redis-prefix") { Description = "Key prefix of this deployment", DefaultValueFactory = _ => "floe", Recursive = true };

    public static IEnumerable<Command> Build() => [Materialize(), Get(), Check()];

    /// <summary>Adds the Redis options (recursive) to the root command, so every Redis-using command takes them.</summary>
    public static void AddOptions(Command root)
    {
        root.Add(Redis);
        root.Add(RedisUser);
        root.Add(RedisPassword);
        root.Add(RedisTls);
        root.Add(RedisPrefix);
    }

    /// <summary>The Redis settings a command was given, or null when none (no option and no environment).</summary>
    public static RedisSettings? Settings(ParseResult parse)
    {
        var endpoint = parse.GetValue(Redis);
        var fromEnvironment = RedisSettings.FromEnvironment();
        if (endpoint is null && fromEnvironment is null) return null;
        return new RedisSettings
        {
            Endpoint = endpoint ?? fromEnvironment!.Endpoint,
            User = parse.GetValue(RedisUser),
            Password = parse.GetValue(RedisPassword) ?? Environment.GetEnvironmentVariable("FLOE_REDIS_PASSWORD"),
            Tls = parse.GetValue(RedisTls),
            Prefix = parse.GetValue(RedisPrefix) ?? "floe",
        };
    }

    private static OnlineStore Connect(ParseResult parse) =>
        OnlineStore.Connect(Settings(parse) ?? throw Errors.InvalidArgument("no Redis given: pass --redis HOST:PORT or set FLOE_REDIS"));

    private static Command Materialize()
    {
        var definition = new Argument<string>("DEF") { Description = "Feature group definition; its feature table is read" };
        var snapshot = new Option<long?>("--snapshot") { Description = "Materialize this snapshot of the feature table" };
        var asOf = new Option<string?>("--as-of") { Description = "Materialize the snapshot current at this time" };
        var full = new Option<bool>("--full") { Description = "Read the whole table, not only what changed since the last materialization" };
        var ttl = new Option<string?>("--ttl") { Description = "Expire online values this long after they are written (e.g. 7d)" };
        var command = new Command("materialize", "Copy the newest feature row of each entity from the feature table into Redis (incremental by default)")
        {
            definition, snapshot, asOf, full, ttl,
        };
        CommandRunner.SetAction(command, parse =>
        {
            var def = DefinitionFiles.Parse(parse.GetValue(definition)!);
            using var store = Connect(parse);
            // On a terminal, one line on stderr rewritten in place; piped output stays clean.
            var progress = Console.IsErrorRedirected ? null : new SyncProgress<MaterializeProgress>(p =>
                Console.Error.Write($"\rmaterialize: {p.Phase}, {p.RowsRead:N0} rows read, {p.EntitiesWritten:N0} entities written, {p.Elapsed.TotalSeconds:F1} s   "));
            var result = new MaterializeService(GlobalOptions.OpenWarehouse(parse), store).Materialize(def, parse.GetValue(snapshot),
                parse.GetValue(asOf) is { } a ? SnapshotSelector.ParseTimestampMs(a) : null, parse.GetValue(full), Ttl(parse.GetValue(ttl)), progress);
            if (progress is not null) Console.Error.WriteLine();
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

    private static Command Get()
    {
        var definition = new Argument<string>("DEF") { Description = "Feature group definition" };
        var entities = new Argument<string[]>("ENTITY") { Description = "Entity keys (a composite key's parts joined by ',')", Arity = ArgumentArity.OneOrMore };
        var command = new Command("get", "Read online feature values from Redis") { definition, entities };
        CommandRunner.SetAction(command, parse =>
        {
            var def = DefinitionFiles.Parse(parse.GetValue(definition)!);
            using var store = Connect(parse);
            var rows = store.GetMany(def, parse.GetValue(entities)!.Select(e => (IReadOnlyList<string>)e.Split(',')).ToList());
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json =>
                {
                    json.WriteStartArray();
                    foreach (var row in rows) row.WriteJson(json);
                    json.WriteEndArray();
                });
            }
            else
            {
                foreach (var row in rows) Console.WriteLine(row.ToText());
            }
            return rows.All(r => r.Found) ? 0 : CommandRunner.ExitCode(FloeErrorCode.NotFound);
        });
        return command;
    }

    private static Command Check()
    {
        var definition = new Argument<string>("DEF") { Description = "Feature group definition" };
        var sample = new Option<int>("--sample") { Description = "Entities to sample", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 42 };
        var threshold = new Option<double>("--threshold") { Description = "Largest mismatch rate (mismatched + missing + stale) that passes", DefaultValueFactory = _ => 0 };
        var command = new Command("consistency-check", "Compare online values in Redis with the feature table for sampled entities") { definition, sample, seed, threshold };
        CommandRunner.SetAction(command, parse =>
        {
            var def = DefinitionFiles.Parse(parse.GetValue(definition)!);
            using var store = Connect(parse);
            var report = new ConsistencyCheck(GlobalOptions.OpenWarehouse(parse), store).Run(def, parse.GetValue(sample), parse.GetValue(seed));
            bool passed = report.Passes(parse.GetValue(threshold));
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json => report.WriteJson(json, passed));
            }
            else
            {
                Console.WriteLine(report.ToText(passed));
            }
            return passed ? 0 : CommandRunner.ExitCode(FloeErrorCode.ValidationFailed);
        });
        return command;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and interleave).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static TimeSpan? Ttl(string? text)
    {
        if (text is null) return null;
        return Durations.TryParse(text, out var micros) ? TimeSpan.FromTicks(micros * 10) : throw Errors.InvalidArgument($"--ttl: '{text}' is not a duration (e.g. 12h, 7d)");
    }
}
