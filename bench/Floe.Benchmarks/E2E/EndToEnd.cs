namespace Floe.Benchmarks.E2E;

/// <summary>Dispatches end-to-end benchmark subcommands (each compares Floe with DuckDB in the same run).</summary>
internal static class EndToEnd
{
    private static readonly Dictionary<string, Func<string[], int>> Commands = new(StringComparer.Ordinal);

    /// <summary>Registers a subcommand.</summary>
    public static void Register(string name, Func<string[], int> run) => Commands[name] = run;

    /// <summary>Runs <paramref name="args"/>[0] when it names a registered subcommand.</summary>
    public static bool TryRun(string[] args, out int rc)
    {
        EndToEndRegistry.RegisterAll();
        if (Commands.TryGetValue(args[0], out var run))
        {
            rc = run(args[1..]);
            return true;
        }
        rc = 0;
        return false;
    }
}
