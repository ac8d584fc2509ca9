namespace Floe.Features.Engine;

/// <summary>
/// What survives between chunks for every entity, in flat arrays indexed by the dense entity id: its last processed
/// time, its event count (for unbounded windows), and one <see cref="AggregatorState"/> per kernel pass
/// (entity × passes + pass), grown as entities appear. Exact sums and distinct tables are allocated on first use.
/// </summary>
internal sealed class EntityStates
{
    /// <summary>How many min/max deque positions a pass keeps between chunks (random data needs about ln(window)).</summary>
    public const int SavedDequeLength = 8;

    private readonly int _passes;
    private readonly bool _savesDeques;
    private AggregatorState[] _states = [];
    private int[] _deques = [];
    // Deques longer than SavedDequeLength (a hot entity's long window, or monotonic runs), per (entity, pass, side).
    private int[]?[] _longDeques = [];

    public EntityStates(int passes, bool savesDeques)
    {
        _passes = passes;
        _savesDeques = savesDeques;
    }

    /// <summary>
    /// Where pass <paramref name="pass"/> of <paramref name="entity"/> keeps its min (or max) deque between chunks,
    /// as offsets from the window's left edge.
    /// </summary>
    public Span<int> SavedDeque(int entity, int pass, bool max) =>
        _deques.AsSpan((((entity * _passes) + pass) * 2 + (max ? 1 : 0)) * SavedDequeLength, SavedDequeLength);

    /// <summary>
    /// Where pass <paramref name="pass"/> of <paramref name="entity"/> keeps a min (or max) deque longer than
    /// <see cref="SavedDequeLength"/> between chunks; null until one is needed, then grown as needed.
    /// </summary>
    public ref int[]? LongDeque(int entity, int pass, bool max) =>
        ref _longDeques[(((entity * _passes) + pass) * 2) + (max ? 1 : 0)];

    /// <summary>Per entity, the time of its last processed event (<see cref="long.MinValue"/> before any).</summary>
    public long[] LastTime { get; private set; } = [];

    /// <summary>Per entity, its events so far.</summary>
    public long[] Events { get; private set; } = [];

    /// <summary>The state of pass <paramref name="pass"/> for <paramref name="entity"/>.</summary>
    public ref AggregatorState Of(int entity, int pass) => ref _states[(entity * _passes) + pass];

    /// <summary>Makes room for entity ids below <paramref name="entities"/>.</summary>
    public void EnsureCapacity(int entities)
    {
        int old = LastTime.Length;
        if (old >= entities) { return; }
        // Grow by an eighth: geometric (amortised O(1)) but without doubling state that is ~150 bytes per entity and pass.
        int size = Math.Max(entities, old + (old / 8) + 1024);
        var last = LastTime;
        Array.Resize(ref last, size);
        last.AsSpan(old).Fill(long.MinValue);
        LastTime = last;
        var events = Events;
        Array.Resize(ref events, size);
        Events = events;
        Array.Resize(ref _states, size * _passes);
        if (_savesDeques)
        {
            Array.Resize(ref _deques, size * _passes * 2 * SavedDequeLength);
            Array.Resize(ref _longDeques, size * _passes * 2);
        }
    }
}
