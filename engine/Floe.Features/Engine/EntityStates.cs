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
    // Per pass, its place among the passes that keep min/max deques (-1: none): a window group keeps one pair of
    // deques for all its windows, in its longest window's pass, so the others need no room for them.
    private readonly int[] _dequeIndex;
    private readonly int _dequePasses;
    // The pass whose deques come first in an entity's block.
    private readonly int _firstDequePass;
    private AggregatorState[] _states = [];
    private int[] _deques = [];
    // Deques longer than SavedDequeLength (a hot entity's long window, or monotonic runs), per (entity, pass, side).
    private int[]?[] _longDeques = [];

    /// <param name="passes">Kernel passes per entity.</param>
    /// <param name="dequePasses">The passes that save min/max deques between chunks.</param>
    public EntityStates(int passes, IReadOnlyCollection<int> dequePasses)
    {
        _passes = passes;
        _dequeIndex = new int[passes];
        Array.Fill(_dequeIndex, -1);
        foreach (int p in dequePasses)
        {
            if (_dequePasses == 0) { _firstDequePass = p; }
            _dequeIndex[p] = _dequePasses++;
        }
        _savesDeques = _dequePasses > 0;
    }

    private int DequeAt(int entity, int pass, bool max)
    {
        int d = _dequeIndex[pass];
        System.Diagnostics.Debug.Assert(d >= 0, "pass keeps no deques");
        return ((((entity * _dequePasses) + d) * 2) + (max ? 1 : 0));
    }

    /// <summary>
    /// Where pass <paramref name="pass"/> of <paramref name="entity"/> keeps its min (or max) deque between chunks,
    /// as offsets from the window's left edge.
    /// </summary>
    public Span<int> SavedDeque(int entity, int pass, bool max) =>
        _deques.AsSpan(DequeAt(entity, pass, max) * SavedDequeLength, SavedDequeLength);

    /// <summary>
    /// Where pass <paramref name="pass"/> of <paramref name="entity"/> keeps a min (or max) deque longer than
    /// <see cref="SavedDequeLength"/> between chunks; null until one is needed, then grown as needed.
    /// </summary>
    public ref int[]? LongDeque(int entity, int pass, bool max) =>
        ref _longDeques[DequeAt(entity, pass, max)];

    /// <summary>Per entity, the time of its last processed event (<see cref="long.MinValue"/> before any).</summary>
    public long[] LastTime { get; private set; } = [];

    /// <summary>Per entity, its events so far.</summary>
    public long[] Events { get; private set; } = [];

    /// <summary>The state of pass <paramref name="pass"/> for <paramref name="entity"/>.</summary>
    public ref AggregatorState Of(int entity, int pass) => ref _states[(entity * _passes) + pass];

    /// <summary>Hints the cache lines of <paramref name="entity"/>'s states, saved deques and counters (see <see cref="CachePrefetch"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int entity)
    {
        CachePrefetch.Lines(ref _states[entity * _passes], _passes * System.Runtime.CompilerServices.Unsafe.SizeOf<AggregatorState>());
        if (_savesDeques) { CachePrefetch.Lines(ref _deques[DequeAt(entity, _firstDequePass, false) * SavedDequeLength], _dequePasses * 2 * SavedDequeLength * sizeof(int)); }
        CachePrefetch.Line(ref LastTime[entity]);
        CachePrefetch.Line(ref Events[entity]);
    }

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
            Array.Resize(ref _deques, size * _dequePasses * 2 * SavedDequeLength);
            Array.Resize(ref _longDeques, size * _dequePasses * 2);
        }
    }
}
