using System.CommandLine;
using Floe.Application.Wap;

namespace Floe.Cli.Commands;

/// <summary><c>floe audit</c> and <c>floe publish</c>: the audit and publish steps of write-audit-publish.</summary>
internal static class WapCommands
{
    public static IEnumerable<Command> Build() => [Audit(), Publish()];

    private static Command Audit()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "The table" };
        var branch = new Option<string>("--branch") { Description = "The staging branch whose head is audited against main", Required = true };
        var rules = new Option<string?>("--rules") { Description = "Thresholds (RULES.yaml or .json); defaults: PSI 0.2, KS 0.3, row-count change 50%, null-rate increase 0.1, unique keys" };
        var report = new Option<string?>("--report") { Description = "Folder for a self-contained HTML report" };
        var key = new Option<string?>("--key") { Description = "Entity column(s) of the uniqueness check (default: the table's floe.entity property)" };
        var command = new Command("audit", "Audit a staging branch against main; exit 0 when it passes, 10 when it fails") { table, branch, rules, report, key };
        CommandRunner.SetAction(command, parse =>
        {
            var rulesFile = parse.GetValue(rules);
            var keys = parse.GetValue(key)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var result = new AuditService(GlobalOptions.OpenWarehouse(parse))
                .Audit(parse.GetValue(table)!, parse.GetValue(branch)!, rulesFile is null ? null : AuditRules.Load(rulesFile), keys);
            string? html = parse.GetValue(report) is { } dir ? AuditReport.Write(result, dir) : null;
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(result.WriteJson);
            }
            else
            {
                Console.WriteLine(result.ToText());
                if (html is not null) Console.WriteLine($"  report: {html}");
            }
            return result.Passed ? 0 : CommandRunner.ExitCode(Floe.Core.Errors.FloeErrorCode.ValidationFailed);
        });
        return command;
    }

    private static Command Publish()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "The table" };
        var branch = new Option<string>("--branch") { Description = "The audited staging branch", Required = true };
        var command = new Command("publish", "Fast-forward main to the staging branch's head, only if an audit passed for that snapshot") { table, branch };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new PublishService(GlobalOptions.OpenWarehouse(parse)).Publish(parse.GetValue(table)!, parse.GetValue(branch)!);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(result.WriteJson);
            }
            else
            {
                Console.WriteLine($"published {result.Table}: main {result.PreviousMainSnapshotId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(empty)"} -> {result.SnapshotId} (branch '{result.Branch}')");
            }
            return 0;
        });
        return command;
    }
}
