using System.CommandLine;
using Floe.Application.Backfill;

namespace Floe.Cli.Commands;

/// <summary><c>floe lineage NS.TABLE</c>: which snapshot, definition, code and source produced each partition.</summary>
internal static class LineageCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var snapshot = new Option<long?>("--snapshot") { Description = "Inspect this snapshot" };
        var reference = new Option<string?>("--ref") { Description = "Inspect the head of this branch or tag" };
        var asOf = new Option<string?>("--as-of") { Description = "Inspect the snapshot current on main at this time (ISO-8601)" };
        var command = new Command("lineage", "Show, per partition, the snapshot that last wrote it and that snapshot's definition, code version and source") { name, snapshot, reference, asOf };
        CommandRunner.SetAction(command, parse =>
        {
            var report = new LineageService(GlobalOptions.OpenWarehouse(parse))
                .Describe(parse.GetValue(name)!, parse.GetValue(snapshot), parse.GetValue(reference), parse.GetValue(asOf));
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(report.WriteJson);
                return 0;
            }
            Console.WriteLine($"{report.Table} at snapshot {report.SnapshotId}");
            Console.WriteLine($"{"partition",-12} {"rows",10} {"files",5} {"snapshot",20} {"definition",-24} {"sha256",-12} {"code",-14} source");
            foreach (var p in report.Partitions)
            {
                string Get(string key) => p.Lineage.TryGetValue(key, out var v) ? v : "";
                var def = p.Lineage.ContainsKey(LineageKeys.DefinitionName) ? $"{Get(LineageKeys.DefinitionName)} v{Get(LineageKeys.DefinitionVersion)}" : $"({p.Operation ?? "expired"})";
                var code = Short(Get(LineageKeys.CodeVersion)) + (Get(LineageKeys.CodeDirty) == "true" ? "+dirty" : "");
                var source = p.Lineage.ContainsKey(LineageKeys.SourceTable)
                    ? $"{Get(LineageKeys.SourceTable)}@{Get(LineageKeys.SourceSnapshotId)}"
                    : Get(LineageKeys.SourceFiles);
                Console.WriteLine($"{p.Partition,-12} {p.Rows,10} {p.Files,5} {p.SnapshotId,20} {def,-24} {Short(Get(LineageKeys.DefinitionSha256)),-12} {code,-14} {source}");
            }
            return 0;
        });
        return command;
    }

    private static string Short(string text) => text.Length > 12 ? text[..12] : text;
}
