using System.CommandLine;

namespace Floe.Cli;

/// <summary>
/// A first parse of the command line under a plain root command, without System.CommandLine's help and version
/// options. Those two are built by <see cref="RootCommand"/>'s constructor, which reads their descriptions from the
/// library's resources: a ResourceManager, the reflection metadata behind <c>typeof(...).Assembly</c> and a custom
/// attribute lookup, about a tenth of the CPU of a short command such as <c>floe table list</c>. A command line that
/// parses without error here, and names neither option nor a directive or response file, parses to the same
/// commands, options and values under the full root, so it runs from this parse. Anything else (help, version,
/// directives, every parse error and its report) is parsed again under <see cref="RootCommand"/>, exactly as before.
/// </summary>
internal static class LeanParse
{
    /// <summary>The name the root command has in the full parse (the executable's).</summary>
    private const string RootName = "floe";

    /// <summary>A root command with no options of its own; the caller adds the global options and the commands.</summary>
    public static Command Root() => new(RootName);

    /// <summary>
    /// Whether <paramref name="args"/> can be parsed under <see cref="Root"/>: no token that the full root would read
    /// as help or version (also bundled, as <c>-xh</c>, or with a value, as <c>--help=x</c>), as a directive
    /// (<c>[suggest]</c>) or as a response file (<c>@file</c>, whose content is not seen here). Under the lean root
    /// such a token could be taken as some option's value where the full root sees an option, so it goes to the full
    /// parse; a lean parse with any error does too.
    /// </summary>
    public static bool Suffices(IReadOnlyList<string> args)
    {
        foreach (var arg in args)
        {
            if (NeedsFullRoot(arg)) { return false; }
        }
        return true;
    }

    private static bool NeedsFullRoot(string arg)
    {
        if (arg.Length == 0) { return false; }
        switch (arg[0])
        {
            case '[':
            case '@':
                return true;
            case '/':
                return IsOption(arg, "/h") || IsOption(arg, "/?");
            case '-' when arg.Length > 1 && arg[1] == '-':
                return IsOption(arg, "--help") || IsOption(arg, "--version");
            case '-':
                // -h and -? alone or bundled with other one-letter options.
                return arg.Contains('h', StringComparison.Ordinal) || arg.Contains('?', StringComparison.Ordinal);
            default:
                return false;
        }
    }

    // The option itself, or the option with a value after ':' or '='.
    private static bool IsOption(string arg, string name) =>
        arg.StartsWith(name, StringComparison.Ordinal) && (arg.Length == name.Length || arg[name.Length] is ':' or '=');
}
