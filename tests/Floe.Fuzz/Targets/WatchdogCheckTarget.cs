namespace Floe.Fuzz.Targets;

/// <summary>
/// An input that never returns, for checking the runner's watchdog (the <c>fuzz_watchdog</c> ctest): not a parser, so
/// not among the targets <c>run</c> takes by default, only by name.
/// </summary>
internal sealed class WatchdogCheckTarget : FuzzTarget
{
    public const string TargetName = "watchdog-check";

    public override string Name => TargetName;

    public override string Description => "never returns (checks that the runner's watchdog saves a hung input and fails the run)";

    public override void Run(ReadOnlySpan<byte> input) => Thread.Sleep(Timeout.Infinite);

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("hang.bin", new byte[] { 1, 2, 3 });
    }
}
