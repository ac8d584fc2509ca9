using System.CommandLine;
using Floe.Application.Features;
using Floe.Core.Errors;
using Floe.Core.Text;
using Floe.Features.Diagnostics;

namespace Floe.Cli.Commands;

/// <summary><c>floe features validate|compute</c>.</summary>
internal static class FeaturesCommands
{
    public static Command Build()
    {
        var features = new Command("features", "Validate and compute declarative feature groups (see engine/Floe.Features/docs/features.md)");
        features.Add(Validate());
        features.Add(Compute());
        return features;
    }

    private static Command Validate()
    {
        var definition = new Argument<string>("DEF") { Description = "Feature group definition (.json, .yaml or .yml)" };
        var command = new Command("validate", "Check a definition; every error names the path of the bad field") { definition };
        CommandRunner.SetAction(command, parse =>
        {
            var result = FeatureService.Validate(parse.GetValue(definition)!);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json => FeatureReports.WriteJson(json, result));
            }
            else if (result.IsValid)
            {
                Console.WriteLine($"{parse.GetValue(definition)}: valid ({result.Definition!.Features.Count} features)");
            }
            foreach (var e in result.IsValid || parse.GetValue(GlobalOptions.Json) ? Array.Empty<string>() : result.Errors)
            {
                Console.Error.WriteLine($"floe: error: {e}");
            }
            return result.IsValid ? 0 : CommandRunner.ExitCode(FloeErrorCode.InvalidArgument);
        });
        return command;
    }

    private static Command Compute()
    {
        var definition = new Argument<string>("DEF") { Description = "Feature group definition (.json, .yaml or .yml)" };
        var from = new Option<string>("--from") { Description = "First event time to output (date or ISO-8601 timestamp, UTC unless an offset is given)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the output range, exclusive", Required = true };
        var source = new Option<string?>("--source") { Description = "Override the definition's source: a .csv/.parquet file or NS.TABLE" };
        var output = new Option<string>("--output") { Description = "Output file: .parquet or .csv", Required = true };
        var profile = new Option<bool>("--profile") { Description = "Print where the time went on stderr: per stage, wall seconds, process and own-thread CPU seconds and MiB allocated; GC counts and pauses" };
        var command = new Command("compute", "Compute features for the events in [--from, --to); the lookback before --from is read, not output") { definition, from, to, source, output, profile };
        CommandRunner.SetAction(command, parse =>
        {
            var service = new FeatureService(() => GlobalOptions.OpenWarehouse(parse));
            StageProfile.Reset();
            var result = service.Compute(parse.GetValue(definition)!, ParseTime(parse.GetValue(from)!, "--from"), ParseTime(parse.GetValue(to)!, "--to"),
                parse.GetValue(source), parse.GetValue(output)!);
            if (parse.GetValue(profile)) Console.Error.WriteLine(StageProfile.Describe());
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json => FeatureReports.WriteJson(json, result));
            }
            else
            {
                Console.WriteLine(FeatureReports.ToText(result));
            }
            return 0;
        });
        return command;
    }

    internal static DateTimeOffset ParseTime(string text, string option)
    {
        if (Utf8Values.TryParseTimestamp(System.Text.Encoding.UTF8.GetBytes(text.Trim()), out var micros))
        {
            return DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        }
        throw Errors.InvalidArgument($"{option}: '{text}' is not a date or ISO-8601 timestamp");
    }
}
