using Floe.Core.Errors;
using Floe.Iceberg.Manifests;
using Floe.Parquet;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Maintenance;

/// <summary>One problem <see cref="CheckFiles"/> found.</summary>
/// <param name="Location">The file.</param>
/// <param name="Problem">What is wrong, in one line.</param>
public sealed record FileProblem(string Location, string Problem);

/// <summary>What <see cref="CheckFiles"/> verified.</summary>
/// <param name="Snapshots">Snapshots whose files were checked.</param>
/// <param name="FilesChecked">Distinct files checked (metadata, manifest lists, manifests, data and delete files).</param>
/// <param name="Problems">Every missing, truncated or unreadable file, and every data file whose row count differs from its manifest entry.</param>
public sealed record CheckFilesResult(int Snapshots, int FilesChecked, IReadOnlyList<FileProblem> Problems)
{
    /// <summary>Whether every file is there and whole.</summary>
    public bool Healthy => Problems.Count == 0;
}

/// <summary>
/// Verifies that every file a table's snapshots reference exists and is whole: manifest lists and manifests can be
/// read; each data and delete file has the size its manifest entry records, and each Parquet data file's footer
/// holds the recorded row count. Counts answered from manifests stay fast; this is how to know they are true.
/// </summary>
public sealed class CheckFiles(Table table)
{
    /// <summary>Checks the current snapshot only (default) or, with <paramref name="allSnapshots"/>, every snapshot.</summary>
    public CheckFilesResult Execute(bool allSnapshots = false)
    {
        var metadata = table.Refresh().Metadata;
        var io = table.Io;
        var problems = new List<FileProblem>();
        var seen = FileLocations.NewSet();
        var snapshots = allSnapshots ? metadata.Snapshots.ToList() : metadata.CurrentSnapshot is { } current ? [current] : [];
        foreach (var snapshot in snapshots)
        {
            if (!seen.Add(FileLocations.Key(io, snapshot.ManifestList))) continue;
            IReadOnlyList<Spec.ManifestFile> manifests;
            try
            {
                manifests = ManifestListReader.Read(io, snapshot.ManifestList);
            }
            catch (FloeException e)
            {
                problems.Add(new FileProblem(snapshot.ManifestList, Describe(snapshot.ManifestList, e)));
                continue;
            }
            foreach (var manifest in manifests)
            {
                if (!seen.Add(FileLocations.Key(io, manifest.ManifestPath))) continue;
                IEnumerable<Spec.ManifestEntry> entries;
                try
                {
                    entries = ManifestReader.Read(io, manifest, metadata.SpecById, null).ToList();
                }
                catch (FloeException e)
                {
                    problems.Add(new FileProblem(manifest.ManifestPath, Describe(manifest.ManifestPath, e)));
                    continue;
                }
                foreach (var entry in entries)
                {
                    if (entry.Status == Spec.ManifestEntryStatus.Deleted) continue;
                    var file = entry.DataFile;
                    if (!seen.Add(FileLocations.Key(io, file.FilePath))) continue;
                    if (Check(io, file) is { } problem) problems.Add(new FileProblem(file.FilePath, problem));
                }
            }
        }
        return new CheckFilesResult(snapshots.Count, seen.Count, problems);
    }

    private static string? Check(Floe.Core.Io.IFileIO io, Spec.DataFile file)
    {
        long length;
        try
        {
            if (!io.Exists(file.FilePath)) return "missing";
            length = io.GetLength(file.FilePath);
        }
        catch (FloeException e)
        {
            return Describe(file.FilePath, e);
        }
        if (length != file.FileSizeInBytes) return $"size {length} bytes, the manifest records {file.FileSizeInBytes}";
        if (file.Content != Spec.FileContent.Data || !file.FilePath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            using var reader = ParquetDataReader.Open(io, file.FilePath);
            return reader.RecordCount == file.RecordCount ? null : $"{reader.RecordCount} rows, the manifest records {file.RecordCount}";
        }
        catch (FloeException e)
        {
            return Describe(file.FilePath, e);
        }
    }

    // Errors name their file; the problem list names it already, so only the problem itself is kept.
    private static string Describe(string location, FloeException e) =>
        e.Message.StartsWith(location + ": ", StringComparison.Ordinal) ? e.Message[(location.Length + 2)..] : e.Message;
}
