using System.CommandLine;
using Floe.Application.Demo;

namespace Floe.Cli.Commands;

/// <summary><c>floe generate events</c>: synthetic event data for demos and benchmarks.</summary>
internal static class GenerateCommand
{
    public static Command Build()
    {
        var rows = new Option<long>("--rows") { Description = "Rows to generate", DefaultValueFactory = _ => 1_000_000 };
        var entities = new Option<int>("--entities") { Description = "Distinct entity ids", DefaultValueFactory = _ => 10_000 };
        var days = new Option<int>("--days") { Description = "Days covered, starting 2024-01-01", DefaultValueFactory = _ => 7 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--output") { Description = "CSV file to write", Required = true };
        var events = new Command("events", $"Write a CSV of events with schema \"{EventGenerator.Schema}\"") { rows, entities, days, seed, output };
        CommandRunner.SetAction(events, parse =>
        {
            new EventGenerator { Rows = parse.GetValue(rows), Entities = parse.GetValue(entities), Days = parse.GetValue(days), Seed = parse.GetValue(seed) }
                .WriteCsv(parse.GetValue(output)!);
            return 0;
        });
        var generate = new Command("generate", "Generate synthetic data") { events };
        return generate;
    }
}
