namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>File-system helpers shared by the ingest bench processes.</summary>
internal static class BenchFiles
{
    /// <summary>Total bytes of the files under <paramref name="directory"/> whose name ends with <paramref name="suffix"/>.</summary>
    public static long SizeOf(string directory, string suffix)
    {
        if (!Directory.Exists(directory)) return 0;
        long total = 0;
        foreach (var f in Directory.EnumerateFiles(directory, "*" + suffix, SearchOption.AllDirectories)) total += new FileInfo(f).Length;
        return total;
    }

    /// <summary>Number of files under <paramref name="directory"/> whose name ends with <paramref name="suffix"/>.</summary>
    public static int CountOf(string directory, string suffix) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*" + suffix, SearchOption.AllDirectories).Count() : 0;

    /// <summary>Deletes and recreates <paramref name="directory"/>.</summary>
    public static void Fresh(string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
    }

    /// <summary>Peak working set of this process, in MiB.</summary>
    public static double PeakMiB()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        p.Refresh();
        return p.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
