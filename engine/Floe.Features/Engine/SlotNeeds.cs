namespace Floe.Features.Engine;

/// <summary>Which incremental aggregators a (slot, window) pair maintains; shared by all features using the pair.</summary>
[Flags]
internal enum SlotNeeds
{
    None = 0,
    /// <summary>The pair is used at all (keeps its pointer into the slot's valid-value list).</summary>
    Tracked = 1,
    Sum = 2,
    SumOfSquares = 4,
    Min = 8,
    Max = 16,
    Distinct = 32,
}
