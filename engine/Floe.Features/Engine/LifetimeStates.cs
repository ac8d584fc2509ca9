using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// What survives between chunks for every entity: its last processed time and, when the plan has an unbounded
/// window, its event count and one <see cref="AggregatorState"/> per slot for that window. Flat arrays indexed by
/// the dense entity id (entity × slots + slot), grown as entities appear.
/// </summary>
internal sealed class LifetimeStates
{
    private readonly KernelLayout _layout;
    private readonly int _slots;
    private AggregatorState[] _states = [];

    public LifetimeStates(KernelLayout layout, int slots)
    {
        _layout = layout;
        _slots = slots;
    }

    /// <summary>Per entity, the time of its last processed event (<see cref="long.MinValue"/> before any).</summary>
    public long[] LastTime { get; private set; } = [];

    /// <summary>Per entity, its events so far (empty when the plan has no unbounded window).</summary>
    public long[] Events { get; private set; } = [];

    /// <summary>The unbounded-window states of <paramref name="entity"/>, one per slot.</summary>
    public Span<AggregatorState> SlotsOf(int entity) => _states.AsSpan(entity * _slots, _slots);

    /// <summary>Makes room for entity ids below <paramref name="entities"/>.</summary>
    public void EnsureCapacity(int entities)
    {
        int old = LastTime.Length;
        if (old >= entities) { return; }
        int size = Math.Max(entities, old * 2);
        var last = LastTime;
        Array.Resize(ref last, size);
        last.AsSpan(old).Fill(long.MinValue);
        LastTime = last;
        if (!_layout.HasUnbounded) { return; }
        var events = Events;
        Array.Resize(ref events, size);
        Events = events;
        Array.Resize(ref _states, size * _slots);
        int unbounded = Array.IndexOf(_layout.Windows, long.MaxValue);
        int nw = _layout.Windows.Length;
        for (int e = old; e < size; e++)
        {
            for (int s = 0; s < _slots; s++)
            {
                var needs = _layout.Needs[s * nw + unbounded];
                ref var st = ref _states[e * _slots + s];
                st.LastValid = -1;
                if ((needs & SlotNeeds.Sum) != 0 && (_layout.IsFloat[s] || (needs & SlotNeeds.SumOfSquares) != 0)) { st.Sum = new ExactSum(); }
                if ((needs & SlotNeeds.SumOfSquares) != 0) { st.SumSq = new ExactSum(); }
            }
        }
    }
}
