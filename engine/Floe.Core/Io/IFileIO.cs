namespace Floe.Core.Io;

/// <summary>
/// Storage access by Iceberg location string (the paths written in metadata and manifests).
/// Implementations resolve locations to real storage; the rest of the engine never touches paths directly.
/// </summary>
public interface IFileIO
{
    /// <summary>Opens a location for reading; throws a FloeException(NotFound) naming it when absent.</summary>
    Stream OpenRead(string location);

    /// <summary>Creates (or truncates) a location for writing, creating parent folders.</summary>
    Stream Create(string location);

    /// <summary>Writes a whole file so that readers see either nothing or all of it; fails if it exists.</summary>
    void WriteAtomic(string location, ReadOnlySpan<byte> content);

    /// <summary>True when the location exists.</summary>
    bool Exists(string location);

    /// <summary>Length in bytes.</summary>
    long GetLength(string location);

    /// <summary>
    /// Whether maintenance may delete files of this storage that the current writer did not just write itself. False
    /// for a table Floe did not create (a registered table) unless opened for deletion explicitly: purge, snapshot
    /// expiry and orphan removal then keep files or refuse. A writer's cleanup of its own uncommitted files is unaffected.
    /// </summary>
    bool CanDelete => true;

    /// <summary>Deletes a location; absent locations are ignored.</summary>
    void Delete(string location);

    /// <summary>Lists the files under a location prefix (recursively) with their last-write time.</summary>
    IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix);
}
