using System.Diagnostics;

namespace Floe.Cli.Tests;

/// <summary>
/// Runs the real <c>floe</c> CLI as a child process: the NativeAOT binary named by FLOE_BIN when set (ctest sets it to
/// build/dist/floe), else the JIT build next to the tests through <c>dotnet floe.dll</c>.
/// </summary>
internal static class FloeProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>How to start <c>floe --warehouse WAREHOUSE ARGS...</c> with stdout and stderr redirected.</summary>
    public static ProcessStartInfo StartInfo(string warehouse, params string[] args)
    {
        var bin = Environment.GetEnvironmentVariable("FLOE_BIN");
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!string.IsNullOrEmpty(bin) && File.Exists(bin))
        {
            start.FileName = bin;
        }
        else
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "floe.dll"));
        }
        start.ArgumentList.Add("--warehouse");
        start.ArgumentList.Add(warehouse);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    public static Result Run(string warehouse, params string[] args)
    {
        var start = StartInfo(warehouse, args);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"floe {string.Join(' ', args)} did not finish in 120 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
