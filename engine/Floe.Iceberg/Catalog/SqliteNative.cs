using SQLitePCL;

namespace Floe.Iceberg.Catalog;

/// <summary>
/// Binds Microsoft.Data.Sqlite to the system SQLite library (<c>sqlite3</c>) instead of a bundled side file.
/// The NativeAOT faces link Debian's static <c>libsqlite3.a</c> into their image (DirectPInvoke), so
/// <c>floe</c> and <c>libfloe.so</c> run with nothing beside them; managed (JIT) runs load <c>libsqlite3.so</c>.
/// Without a bundle nobody installs a provider for us, so every catalog store calls <see cref="EnsureInitialized"/>
/// before its first connection.
/// </summary>
internal static class SqliteNative
{
    // The type initializer runs exactly once, whichever thread gets here first.
    static SqliteNative() => raw.SetProvider(new SQLite3Provider_sqlite3());

    /// <summary>Makes sure the SQLite provider is installed; cheap after the first call.</summary>
    public static void EnsureInitialized()
    {
        // Calling any member runs the static constructor (the class is not beforefieldinit).
    }
}
