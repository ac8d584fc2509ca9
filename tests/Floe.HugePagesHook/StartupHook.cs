/// <summary>
/// The start-up hook .NET runs before a suite's Main when <c>DOTNET_STARTUP_HOOKS</c> names this assembly: the runtime
/// looks for a type of exactly this name, outside any namespace, with a public static <c>Initialize</c>.
/// </summary>
internal static class StartupHook
{
    /// <summary>Advises the GC heap before the suite allocates (see <see cref="Floe.Cli.HugePages"/>).</summary>
    public static void Initialize() => Floe.Cli.HugePages.AdviseGcHeap();
}
