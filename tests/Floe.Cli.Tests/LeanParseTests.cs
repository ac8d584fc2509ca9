using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary>
/// The first parse under a root without help and version (<see cref="LeanParse"/>): a command line it takes must
/// parse to the same commands, options and values as under the full <see cref="RootCommand"/>, and every command line
/// where the two could differ must go to the full root.
/// </summary>
[TestFixture]
public sealed class LeanParseTests
{
    private static readonly string[][] Valid =
    [
        ["table", "list"],
        ["--warehouse", "/tmp/w", "--json", "table", "show", "a.t"],
        ["scan", "a.t", "--filter", "amount >= 4", "--columns", "a,b", "--count"],
        ["scan", "a.t", "--format", "parquet", "--output", "/tmp/o.parquet", "--ref", "dev"],
        ["--redis", "localhost:6379", "--redis-prefix", "p", "stream", "def.json", "--source", "e.jsonl", "--commit-every-events", "2000", "--lateness", "1m"],
        ["backfill", "def.json", "--from", "2024-01-01", "--to", "2024-01-21", "--code-version", "v2", "--commit-every", "5"],
        ["table", "create", "a.t", "--schema", "a:long not null,b:double", "--partition", "day(b)"],
        ["scan", "a.t", "--filter", "-5 < a"],
        ["ingest", "a.t", "--", "-file.csv"],
        ["generate", "events", "--rows", "100", "--days", "3", "--output", "/tmp/e.csv"],
        // A command's name as another option's value: its group is built too, and changes nothing.
        ["--warehouse", "scan", "table", "list"],
        ["--redis", "r:1", "get", "def.json", "1", "2"],
        ["tasks", "commit", "plan.json", "r1.json", "r2.json"],
        ["expire-snapshots", "a.t", "--older-than", "2024-01-01T00:00:00Z"],
    ];

    [Test]
    public void CommandGroups_NameEveryTopLevelCommandTheirBuildersMake()
    {
        foreach (var (names, build) in Program.CommandGroups)
        {
            Assert.That(build().Select(c => c.Name).Concat(build().SelectMany(c => c.Aliases)), Is.EqualTo(names));
        }
        // The lean root built for one command line holds exactly the groups it names.
        var lean = Program.AddCommands(LeanParse.Root(), ["--json", "get", "d.json", "compact"]);
        Assert.That(lean.Subcommands.Select(c => c.Name), Is.EqualTo(new[] { "materialize", "get", "consistency-check", "cherry-pick", "expire-snapshots", "remove-orphans", "compact" }));
        Assert.That(Program.AddCommands(new RootCommand()).Subcommands.Select(c => c.Name), Is.EqualTo(Program.CommandGroups.SelectMany(g => g.Names)));
    }

    [Test]
    public void ValidCommandLines_ParseUnderTheLeanRootAsUnderTheFullRoot()
    {
        foreach (var args in Valid)
        {
            Assert.That(LeanParse.Suffices(args), Is.True, string.Join(' ', args));
            var lean = Program.AddCommands(LeanParse.Root(), args).Parse(args);
            var full = Program.AddCommands(new RootCommand(Program.Description)).Parse(args);
            Assert.That(lean.Errors, Is.Empty, string.Join(' ', args));
            Assert.That(full.Errors, Is.Empty, string.Join(' ', args));
            Assert.That(Describe(lean.RootCommandResult), Is.EqualTo(Describe(full.RootCommandResult)), string.Join(' ', args));
        }
    }

    // Where the full root reads help, version, a directive or a response file, and the lean root could read a value.
    [TestCase("get", "def.json", "1", "-h")]
    [TestCase("scan", "a.t", "--filter", "-h")]
    [TestCase("scan", "a.t", "--filter", "-?")]
    [TestCase("scan", "a.t", "--filter", "/h")]
    [TestCase("scan", "a.t", "--filter", "/?")]
    [TestCase("scan", "a.t", "--filter", "--help")]
    [TestCase("scan", "a.t", "--filter", "--help:x")]
    [TestCase("scan", "a.t", "--filter", "--version")]
    [TestCase("table", "list", "-h")]
    [TestCase("--version")]
    [TestCase("[suggest]", "scan")]
    [TestCase("@args.rsp")]
    public void HelpVersionDirectivesAndResponseFiles_GoToTheFullRoot(params string[] args)
    {
        Assert.That(LeanParse.Suffices(args), Is.False);
    }

    [TestCase("scan", "a.t", "--filter", "/tmp/help")]
    [TestCase("scan", "a.t", "--filter", "--helper")]
    [TestCase("table", "show", "h.t")]
    public void LookAlikes_StayOnTheLeanRoot(params string[] args)
    {
        Assert.That(LeanParse.Suffices(args), Is.True);
    }

    [Test]
    public void ValuesTheFullRootReadsAsHelp_WouldParseOtherwiseUnderTheLeanRoot()
    {
        // Why such command lines must not stay on the lean root: there "-h" parses without error as one more ENTITY,
        // under the full root it asks for help.
        string[] args = ["get", "def.json", "1", "-h"];
        Assert.That(LeanParse.Suffices(args), Is.False);
        var lean = Program.AddCommands(LeanParse.Root(), args).Parse(args);
        var full = Program.AddCommands(new RootCommand(Program.Description)).Parse(args);
        Assert.That(lean.Errors, Is.Empty);
        Assert.That(full.Action, Is.TypeOf<System.CommandLine.Help.HelpAction>());
        Assert.That(Describe(lean.RootCommandResult), Is.Not.EqualTo(Describe(full.RootCommandResult)));
    }

    /// <summary>The parse tree as text: each command, option and argument with the tokens it took.</summary>
    private static string Describe(SymbolResult result)
    {
        var text = new StringBuilder();
        Walk(result, 0);
        return text.ToString();

        void Walk(SymbolResult node, int depth)
        {
            string name = node switch
            {
                CommandResult { Parent: null } => "(root)",
                CommandResult c => "command " + c.Command.Name,
                OptionResult o => "option " + o.Option.Name + (o.Implicit ? " (default)" : ""),
                ArgumentResult a => "argument " + a.Argument.Name,
                _ => node.GetType().Name,
            };
            text.Append(' ', depth * 2).Append(name).Append(": ").AppendJoin(' ', node.Tokens.Select(t => t.Value)).Append('\n');
            foreach (var child in node is CommandResult command ? command.Children : [])
            {
                Walk(child, depth + 1);
            }
        }
    }
}
