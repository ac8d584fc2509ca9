using System.CommandLine;
using System.Globalization;
using Floe.Application.TrainingSets;

namespace Floe.Cli.Commands;

/// <summary><c>floe training-set</c>: a point-in-time-correct join of feature groups onto a spine.</summary>
internal static class TrainingSetCommand
{
    public static Command Build()
    {
        var spine = new Option<string>("--spine") { Description = "Spine file (.csv or .parquet): entity column(s), a time column and any labels", Required = true };
        var spineTime = new Option<string>("--spine-time") { Description = "The spine's time column", DefaultValueFactory = _ => "ts" };
        var features = new Option<string[]>("--features")
        {
            Description = "GROUP[:f1,f2,...]: a definition file (.json/.yaml/.yml) or a feature table NS.TABLE, optionally with the features to attach; repeatable",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var asOf = new Option<string?>("--as-of") { Description = "Read every feature table as main showed it at this time (UTC unless an offset is given)" };
        var snapshot = new Option<long?>("--snapshot") { Description = "Read this snapshot id (one --features group only)" };
        var tag = new Option<string?>("--tag") { Description = "Read every feature table at this tag" };
        var maxAge = new Option<string?>("--max-age") { Description = "Features older than this before the spine time become null, e.g. 7d, 12h" };
        var output = new Option<string>("--output") { Description = "Output file: .parquet (with lineage in its footer) or .csv", Required = true };
        var command = new Command("training-set", "Join the latest feature values at or before each spine row's time (never later) onto the spine")
        {
            spine, spineTime, features, asOf, snapshot, tag, maxAge, output,
        };
        CommandRunner.SetAction(command, parse =>
        {
            var maxAgeMicros = parse.GetValue(maxAge) is { } text ? TrainingSetRequest.ParseMaxAge(text) : (long?)null;
            var selections = new List<FeatureSelection>();
            foreach (var f in parse.GetValue(features) ?? []) selections.Add(FeatureSelection.Parse(f));
            var request = new TrainingSetRequest
            {
                SpinePath = parse.GetValue(spine)!,
                SpineTime = parse.GetValue(spineTime)!,
                Features = selections,
                AsOf = parse.GetValue(asOf),
                SnapshotId = parse.GetValue(snapshot),
                Tag = parse.GetValue(tag),
                MaxAgeMicros = maxAgeMicros,
                OutputPath = parse.GetValue(output)!,
            };
            var result = new TrainingSetService(GlobalOptions.OpenWarehouse(parse)).Build(request);
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(result.WriteJson);
            else
            {
                Console.WriteLine($"wrote {result.Rows} rows to {request.OutputPath} in {result.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
                foreach (var g in result.Groups)
                {
                    Console.WriteLine($"  {g.Group}: {g.Table} snapshot {g.SnapshotId?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, {g.Matched} of {result.Rows} rows matched, {g.FeatureRowsRead} feature rows read");
                }
            }
            return 0;
        });
        return command;
    }
}
