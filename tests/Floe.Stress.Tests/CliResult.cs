namespace Floe.Stress.Tests;

/// <summary>The outcome of one floe process.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
