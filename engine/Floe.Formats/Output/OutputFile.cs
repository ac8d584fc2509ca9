namespace Floe.Formats.Output;

/// <summary>
/// Creates an output file as a new file, replacing (unlinking) one of that name instead of truncating it. On ext4
/// (its default <c>auto_da_alloc</c>) a file truncated to zero and written again is flushed when it is closed, the
/// kernel's guard for programs that rewrite a file in place: every block of it is allocated and its writeback
/// started inside <c>close</c>. .NET's <see cref="FileMode.Create"/> truncates even a file it has just created (it
/// opens with O_CREAT, then calls ftruncate once it holds its lock), so every output paid that: closing the 10M-event
/// feature job's 373 MB file took 0.2 s of its ~2.5 s, on one thread, after the last row was written. A new file's
/// pages are written back later, as any new file's. An output path that is a symbolic link is still opened through
/// the link and truncated (its target is the file the user named); another hard link to a replaced file keeps the old
/// content, as with any tool that writes a new file.
/// </summary>
internal static class OutputFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for writing as an empty file: a new one where there was none or a regular file
    /// (after the same checks a truncating open makes: a file this process may not write, or one locked by a .NET
    /// writer, fails as before); through the link where it is a symbolic link.
    /// </summary>
    /// <param name="path">The output file.</param>
    /// <param name="share">What other .NET openers may do with the file meanwhile (as <see cref="FileStream"/>'s).</param>
    /// <param name="bufferSize">The stream's buffer (File.Create's 4 KiB by default).</param>
    /// <exception cref="IOException">The file cannot be created or replaced.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    public static FileStream Create(string path, FileShare share = FileShare.None, int bufferSize = 4096)
    {
        var existing = new FileInfo(path);
        if (existing.Exists && existing.LinkTarget is null)
        {
            // An open for writing without truncation, closed at once: the errors File.Create would have thrown.
            using (new FileStream(path, FileMode.Open, FileAccess.Write, share, 1)) { }
            File.Delete(path);
        }
        else if (existing.Exists)
        {
            return new FileStream(path, FileMode.Create, FileAccess.ReadWrite, share, bufferSize);
        }
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, share, bufferSize);
        }
        catch (IOException) when (File.Exists(path) || Directory.Exists(path))
        {
            // Another process created the name since (or it is a folder): what a truncating open does with it.
            return new FileStream(path, FileMode.Create, FileAccess.ReadWrite, share, bufferSize);
        }
    }
}
