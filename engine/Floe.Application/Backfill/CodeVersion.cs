using System.Diagnostics;

namespace Floe.Application.Backfill;

/// <summary>The version of the code a definition belongs to: the git commit of the repository holding it.</summary>
public static class CodeVersion
{
    /// <summary>The value recorded when no git commit can be found (no git, or not a repository).</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// Runs <c>git -C <paramref name="directory"/> rev-parse HEAD</c> and <c>git status --porcelain</c>: returns the
    /// commit and whether the work tree has uncommitted changes, or (<see cref="Unknown"/>, null) when git is missing
    /// or the folder is in no repository (with no commit yet).
    /// </summary>
    public static (string Commit, bool? Dirty) OfDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var head = Git(directory, "rev-parse", "HEAD");
        if (head is null || head.Length == 0) return (Unknown, null);
        var status = Git(directory, "status", "--porcelain");
        return (head.Trim(), status is null ? null : status.Trim().Length > 0);
    }

    private static string? Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(directory);
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                return null;
            }
            return process.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
