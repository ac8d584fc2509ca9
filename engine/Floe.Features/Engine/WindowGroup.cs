namespace Floe.Features.Engine;

/// <summary>
/// Fast passes over one slot (or over events alone, <see cref="Slot"/> −1), one per window, which the kernel runs
/// together: <see cref="Passes"/> index <see cref="KernelLayout.Passes"/> and are ordered by window length, so the
/// last one has the longest window and the earliest left edge. <see cref="Needs"/> is the union of the passes' needs.
/// </summary>
internal sealed record WindowGroup(int Slot, bool IsFloat, SlotNeeds Needs, int[] Passes);
