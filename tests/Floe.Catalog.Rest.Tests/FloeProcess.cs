using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Floe.Catalog.Rest.Tests;

/// <summary>
/// The real <c>floe</c> CLI as a separate OS process: <c>$FLOE_CLI</c> (the NativeAOT binary or a floe.dll), else
/// the JIT floe.dll built beside these tests.
/// </summary>
internal static class FloeProcess
{
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var path = Environment.GetEnvironmentVariable("FLOE_CLI");
        if (string.IsNullOrEmpty(path))
        {
            path = typeof(FloeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "FloeCliDll")?.Value;
        }
        if (path is null || !File.Exists(path)) Assert.Fail($"floe not found at {path}; build engine/Floe.Cli or set FLOE_CLI");
        var info = new ProcessStartInfo(path!.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (path.EndsWith(".dll", StringComparison.Ordinal)) info.ArgumentList.Add(path);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        return info;
    }

    /// <summary>Runs floe to completion: exit code, stdout, stderr.</summary>
    public static (int Exit, string Out, string Err) Run(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
            Assert.Fail($"floe {string.Join(' ', arguments)} did not finish in 3 minutes");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts <c>floe catalog serve --port 0</c> and waits for its "serving ... at URL" line: the process and the URL
    /// with the port the server was given. The caller kills it.
    /// </summary>
    public static (Process Process, Uri Url) Serve(string warehouse, params string[] extra)
    {
        var process = Process.Start(StartInfo(new[] { "--warehouse", warehouse, "catalog", "serve", "--port", "0" }.Concat(extra).ToArray()))!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromMinutes(1)) || line.Result is null || !line.Result.StartsWith("serving", StringComparison.Ordinal))
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit();
            lock (errors) Assert.Fail($"floe catalog serve did not start: {line.Status} {errors}");
        }
        var at = line.Result!.IndexOf(" at http://", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0), line.Result);
        return (process, new Uri(line.Result[(at + 4)..].Split(' ')[0]));
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited) process.Kill();
        process.WaitForExit();
        process.Dispose();
    }
}
