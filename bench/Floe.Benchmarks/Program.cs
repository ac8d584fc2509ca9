using BenchmarkDotNet.Running;

namespace Floe.Benchmarks;

internal static class Program
{
    // `dotnet run -c Release --project bench/Floe.Benchmarks -- --filter '*'` runs the micro-benchmarks;
    // end-to-end runs against DuckDB are subcommands (see bench/README.md).
    private static int Main(string[] args)
    {
        if (args.Length > 0 && E2E.EndToEnd.TryRun(args, out var rc))
        {
            return rc;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
