using System.Collections.Concurrent;

namespace Floe.Parquet.Tests;

/// <summary>
/// The files of <see cref="FoldColumnTests.Layouts"/>, each written once a run and shared by the fixtures that sweep
/// those layouts (fold, selective page reads, dictionary bitmaps, pages in one reused buffer): they wrote the same
/// eleven files 44 times, a file of one-row pages alone costing a second each time. A file's bytes follow from its
/// options (the writer's output does not depend on its parallelism), so every test reads exactly what it wrote before.
/// The tests only read the files; <see cref="LayoutFilesCleanup"/> deletes the folder when the suite is done.
/// </summary>
internal static class LayoutFiles
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "floe-layouts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    });

    // Options are a record: equal options, one file. Lazy (thread-safe by default) writes it once even when two
    // fixtures running in parallel ask for it at the same time.
    private static readonly ConcurrentDictionary<ParquetWriterOptions, Lazy<string>> Files = new();

    /// <summary>The path of the file written with <paramref name="options"/>, written now if it is the first ask.</summary>
    public static string Get(ParquetWriterOptions options) =>
        Files.GetOrAdd(options, o => new Lazy<string>(() => FoldColumnTests.Write(Folder.Value, o))).Value;

    /// <summary>Deletes the folder, if any file was written.</summary>
    public static void Delete()
    {
        if (Folder.IsValueCreated) Directory.Delete(Folder.Value, recursive: true);
    }
}
