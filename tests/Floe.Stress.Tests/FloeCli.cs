using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Floe.Stress.Tests;

/// <summary>
/// Starts the real <c>floe</c> CLI as a separate OS process: <c>$FLOE_CLI</c> (the NativeAOT binary, or a floe.dll)
/// when set, else the JIT floe.dll built with this project.
/// </summary>
internal sealed class FloeCli
{
    private FloeCli(string fileName, IReadOnlyList<string> leadingArguments, string? catalog = null)
    {
        FileName = fileName;
        LeadingArguments = leadingArguments;
        Catalog = catalog;
    }

    /// <summary>The catalog URI every command is given (<c>--catalog</c>); null for the warehouse's embedded SQLite catalog.</summary>
    public string? Catalog { get; }

    /// <summary>The same CLI, with every command run against <paramref name="catalog"/>.</summary>
    public FloeCli WithCatalog(string? catalog) => new(FileName, LeadingArguments, catalog);

    /// <summary>The executable started (the floe binary or <c>dotnet</c>).</summary>
    public string FileName { get; }

    /// <summary>Arguments before floe's own (the dll path under <c>dotnet</c>).</summary>
    public IReadOnlyList<string> LeadingArguments { get; }

    /// <summary>Whether this is the JIT floe.dll under <c>dotnet</c> rather than the NativeAOT binary.</summary>
    public bool IsJit => LeadingArguments.Count > 0;

    /// <summary>What runs, for messages.</summary>
    public string Description => string.Join(' ', LeadingArguments.Prepend(FileName)) + (Catalog is null ? "" : $" --catalog {Catalog}");

    /// <summary>Finds the CLI; fails the test with a message when neither $FLOE_CLI nor the built floe.dll exists.</summary>
    public static FloeCli Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FLOE_CLI");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (!File.Exists(fromEnvironment)) Assert.Fail($"FLOE_CLI={fromEnvironment} does not exist");
            return ForPath(fromEnvironment);
        }
        var dll = typeof(FloeCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "FloeCliDll")?.Value;
        if (dll is null || !File.Exists(dll)) Assert.Fail($"floe.dll not found at {dll}; build engine/Floe.Cli or set FLOE_CLI");
        return ForPath(dll!);
    }

    private static FloeCli ForPath(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new FloeCli("dotnet", new[] { path }) : new FloeCli(path, Array.Empty<string>());

    /// <summary>Runs floe against <paramref name="warehouse"/> to completion.</summary>
    public CliResult Run(string warehouse, params string[] arguments)
    {
        using var process = Start(warehouse, arguments, out var stdout, out var stderr);
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill();
            Assert.Fail($"floe {string.Join(' ', arguments)} did not finish in 5 minutes");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs floe and fails the test unless it exits 0; returns stdout.</summary>
    public string RunOk(string warehouse, params string[] arguments)
    {
        var result = Run(warehouse, arguments);
        if (result.ExitCode != 0) Assert.Fail($"floe {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    /// <summary>Starts floe without waiting; stdout and stderr are collected into the given builders.</summary>
    public Process Start(string warehouse, IReadOnlyList<string> arguments, out StringBuilder stdout, out StringBuilder stderr)
    {
        var info = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in LeadingArguments) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--warehouse");
        info.ArgumentList.Add(warehouse);
        if (Catalog is not null)
        {
            info.ArgumentList.Add("--catalog");
            info.ArgumentList.Add(Catalog);
        }
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        stdout = output;
        stderr = errors;
        return process;
    }
}
