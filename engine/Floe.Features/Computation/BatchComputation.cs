using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Floe.Core.Expressions.Evaluation;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Definitions;
using Floe.Features.Diagnostics;
using Floe.Features.Engine;
using Floe.Features.Output;
using Floe.Features.Sources;

namespace Floe.Features.Computation;

/// <summary>
/// Computes a feature group for output events in [from, to), one UTC day of event time at a time: the engine's
/// per-entity state carries over from day to day, so memory holds one day of events plus each entity's events
/// inside its longest window. The days before <c>from</c> back to <c>from − longest window</c> (the lookback) are
/// read and fed through the windows but not output.
/// </summary>
internal static class BatchComputation
{
    /// <summary>
    /// Days are processed in chunks of whole days of up to this many events (a larger day is one chunk on its own):
    /// small days are grouped to amortise the per-entity cost of a chunk; larger chunks would hold more outputs at
    /// once, and two chunks' outputs are held while one is written (the 1M-event Zipf bench, 33k-event days: chunks
    /// of 15 days peaked at 352 MiB, of 3–4 days at 252 MiB, same CPU; the 10M-event bench: one 333k-event day per
    /// chunk peaks ~100 MB lower than two, 3–5% slower).
    /// </summary>
    public const int MaxChunkRows = 131_072;

    /// <summary>
    /// A day of more events than this is computed and written in parts of about this many events, by ranges of
    /// entity id (<see cref="EntityRanges"/>), so what a chunk holds (its sort arrays, its outputs, and the previous
    /// part's outputs while they are written) stays bounded however many events a day has. At least
    /// <see cref="MaxChunkRows"/>, so only a chunk of one day is ever cut. (10M events over 7 days, 1.43M a day,
    /// 12 features: peak RSS ~1,010 MiB with whole days, ~800 with parts of 2^19, ~720 with 2^18, 700–740 with 2^17;
    /// the 10M-event Zipf bench's 333k-event days: ~490 whole, ~450–470 in two parts; same rows in every case.) Once
    /// the event arena no longer dominated (<see cref="EntityRooms(SortedDictionary{long, List{FiledEvents}}, long, int, int, int)"/>), 2^17 gave ~30–45 MiB less than 2^18: the same
    /// 7-day set from the day-partitioned table 694 vs 738 MiB, Zipf 10M 450–474 vs 484–506; CPU within the noise of
    /// a loaded box (bench/RESULTS.md, "mem7day").
    /// </summary>
    public const int DayPartRows = 131_072;

    /// <summary>
    /// A day of at least this many events is cut into parts of <see cref="LargeDayPartRows"/> instead: such a day
    /// comes with a large run, whose peak is the event arena, the filed days and a chunk's working memory together,
    /// and smaller parts hold less of the last (10M events over 7 days, 1.43M a day: peak RSS 455-457 -> 437-444 MiB,
    /// the file 363.7 -> 365.7 MB, still under DuckDB's 374.6, same rows). The 10M-event Zipf bench's 333k-event days
    /// keep 2^17: parts of 2^16 cost it ~185 ms and 0.6% more file (bench/RESULTS.md, "Session 23 (lead)").
    /// </summary>
    public const int LargeDayRows = 1 << 20;

    /// <summary>The part size of a day of at least <see cref="LargeDayRows"/> events.</summary>
    public const int LargeDayPartRows = 1 << 16;

    /// <summary>The events of each part a day's chunk of <paramref name="events"/> events is cut into.</summary>
    internal static int PartRows(int events, int dayPartRows) => events >= LargeDayRows ? Math.Min(dayPartRows, LargeDayPartRows) : dayPartRows;

    /// <summary>
    /// A run that reads its source day by day plans each entity's room in the event arena from a first pass over the
    /// entity and time columns when the arena reserved from the days' sizes alone would take at least this much: that
    /// pass saves the regions' growth (10M events over 7 days from a day-partitioned table: peak RSS 681 -> 571 MiB)
    /// but costs a scan of every day, which a small run notices (1M events over 30 days from a table: +60 ms of ~0.37 s
    /// wall, +85 ms CPU, paired SCHED_FIFO rounds).
    /// </summary>
    public const long PlanFromKeysArenaBytes = 128L << 20;

    /// <summary>
    /// A run that files its source's events by day (one scan of a file) plans each entity's room in the event arena
    /// from the filed days when the arena reserved from the days' sizes alone would take at least this much: every
    /// such run with bounded windows. The one-thread plan cost the 1M-event bench (30 days, a 10 MiB arena) more than
    /// the regions' growth it saved (42.5M of 4.58G instructions, +5 ms wall paired: session 26 planned from 32 MiB);
    /// counted in parallel (<see cref="EntityRoomPlan"/>) it is about even: 4.512 vs 4.518G instructions (three
    /// callgrind runs each, every planned one lower), −0.5 ms paired median of 30 SCHED_FIFO rounds (faster in 15),
    /// the same peak RSS (134 MiB) and output bytes (bench/RESULTS.md, "rooms27"). Kept as a knob for the tests that
    /// compare planned and grown runs.
    /// </summary>
    public const long PlanFromFiledArenaBytes = 0;

    /// <summary>
    /// Garbage a batch run lets build up between chunks before it collects it. Each chunk leaves ~25 MB of large
    /// per-chunk arrays behind, and with most of the heap being long-lived events the GC's own large-object budget
    /// grew to ~350 MB between collections, the largest part of the run's peak (10M-event bench: peak 770–854 MiB
    /// before, ~690–700 MiB with this, at about the same CPU; 96 MiB gave ~715). A blocking, non-compacting
    /// collection of a heap made of a few thousand primitive arrays costs a few milliseconds. This is the floor; the
    /// budget is a fraction of the heap after the last collection when that is more, so collections cost in proportion
    /// to what is allocated (1M-event bench: 16 MiB took the peak from ~252 to ~224 MiB; 10M: a fixed 16 MiB added a
    /// dozen collections, +0.4 s of pauses, for no lower peak, where an eighth of ~400 MiB is what 48 MiB was). Since
    /// the chunks' arrays are pooled (validity flags, row orders, output keys and times, encoded batches) a chunk
    /// leaves far less garbage, so a twelfth: 10M-event bench, 24–25 collections instead of 36–38 at an eighth before
    /// the pooling, peak RSS as before (469–495 vs 471–488 MiB); an eighth with the pooling gave 21–22 collections but
    /// ~10 MiB more peak. Since the post-read heap is kept (<see cref="KeepFreedBelowBytes"/>), a twenty-fourth: the
    /// garbage between collections is the one part of the compute phase's plateau that costs nothing to cut (10M-event
    /// bench: 2-3 more collections, the kept run's peak 472-482 MiB over seven runs instead of 477-507).
    /// </summary>
    public const long GarbageBudgetBytes = 16L << 20;

    /// <summary>The heap after the last collection is divided by this for the garbage budget (see <see cref="GarbageBudgetBytes"/>).</summary>
    public const long GarbageBudgetDivisor = 24;

    /// <summary>
    /// Below this heap size, the collection between reading and computing keeps the memory it frees (a forced rather
    /// than an aggressive collection, which also decommits). On a VM every page first touched costs a fault of a few
    /// microseconds, and the chunks and the writer then allocate more than the freed garbage (1M-event Zipf bench: the
    /// heap is ~50 MiB before the collection and grows to ~120 MiB while computing), so giving it back only to fault it
    /// in again cost ~6k page faults and ~0.06 CPU-s of 1.3 for no lower peak. The 10M bench's heap (~250-270 MiB,
    /// ~150 MiB of it garbage) is kept too: page faults ~17-21k -> ~7-11k and ~9% less CPU over seven interleaved runs.
    /// Kept alone, with a twelfth of the heap as garbage budget, its peak RSS rose to 477-507 MiB (the freed read
    /// garbage is not all reused by the chunks' larger arrays), above DuckDB's 503 at times; with the budget a
    /// twenty-fourth, 472-482 (given back: 463-473). Above this size (a source of several times the bench's events)
    /// the memory is given back, since the chunks then need less than the read left behind.
    /// </summary>
    public const long KeepFreedBelowBytes = 512L << 20;

    /// <summary>
    /// The largest event arena (<see cref="EventArena.BytesFor"/>) a file run keeps the post-read heap's freed memory
    /// with. The arena is one large block of fresh memory that the freed read garbage, scattered between the filed
    /// events, cannot hold, so beside a large one the kept garbage only adds to the peak: 10M events over 7 days, a
    /// 7-day window (a 182 MiB arena, ~150 MiB of read garbage): peak RSS 674-682 MiB kept, 633-640 given back. The
    /// 10M-event Zipf bench's arena (30 days, 7-day window) is under half of this, and keeps its CPU gain.
    /// </summary>
    public const long KeepFreedArenaBytes = 128L << 20;

    /// <summary>
    /// The collection between reading and computing for a heap of <paramref name="heapBytes"/> before an arena of
    /// <paramref name="arenaBytes"/>: forced (freed memory kept for the chunks) up to <see cref="KeepFreedBelowBytes"/>
    /// and <see cref="KeepFreedArenaBytes"/>, else aggressive (freed memory given back).
    /// </summary>
    internal static GCCollectionMode PostReadCollection(long heapBytes, long arenaBytes = 0) =>
        heapBytes <= KeepFreedBelowBytes && arenaBytes <= KeepFreedArenaBytes ? GCCollectionMode.Forced : GCCollectionMode.Aggressive;

    /// <summary>
    /// Whether a day-by-day read beside an arena of <paramref name="arenaBytes"/> bounds its garbage after every batch
    /// it decodes, with aggressive collections (compacted, the freed memory given back): above
    /// <see cref="KeepFreedArenaBytes"/>. A day's decoded batches are garbage once encoded, large arrays that the next
    /// day's, of other sizes, reuse only in part: the 7-day table's run (a 191 MB arena) kept 80-126 MB of such free
    /// space committed and peaked at 531-552 MiB, 461-479 with the bound (alternating pairs; bounded between
    /// chunks only, 507-508). Between chunks the collections stay forced and in place: aggressive there too gave no
    /// lower peak for 0.2 s more of pauses. Beside a small arena the chunks' bound is enough: a collection every few
    /// batches cost the 1M-event table (30 days of 33k events) ~40 ms.
    /// Such a read also collects before each day's first batch, whatever the garbage: the parallel read decodes a
    /// day's row groups at once (~45 MB on the 7-day table), which otherwise sat beside the previous day's chunk and
    /// parts' garbage (~50 MB, under the between-chunk budget) at the run's peak: 468-475 MiB, 418-422 with the
    /// collection, for one more aggressive collection a day.
    /// </summary>
    /// <param name="arenaBytes">The arena's size.</param>
    /// <param name="limit">The arena size above which the read is bounded: <see cref="KeepFreedArenaBytes"/>, smaller in tests.</param>
    internal static bool BoundsReadGarbage(long arenaBytes, long limit = KeepFreedArenaBytes) => arenaBytes > limit;

    /// <summary>
    /// Garbage allowed to build up between chunks after a collection left <paramref name="heapAfterCollect"/> bytes:
    /// <see cref="GarbageBudgetBytes"/>, or a <see cref="GarbageBudgetDivisor"/>-th of that heap when more.
    /// </summary>
    internal static long GarbageBudget(long heapAfterCollect) => Math.Max(GarbageBudgetBytes, heapAfterCollect / GarbageBudgetDivisor);

    /// <summary>Computes the group for output events in [from, to), giving the rows to the sink one day at a time.</summary>
    /// <param name="def">The feature group.</param>
    /// <param name="source">The events.</param>
    /// <param name="from">First event time output (inclusive).</param>
    /// <param name="to">End of the output range (exclusive).</param>
    /// <param name="sink">Receives the rows.</param>
    /// <param name="parallelism">Worker threads; 0 uses every core.</param>
    /// <param name="cancellation">Stops the computation between chunks.</param>
    /// <param name="chunkRows">Most events of a chunk of several days: <see cref="MaxChunkRows"/>, smaller in tests.</param>
    /// <param name="dayPartRows">Events of a day's part: <see cref="DayPartRows"/>, smaller in tests; at least <paramref name="chunkRows"/>.</param>
    /// <param name="keysFirstArenaBytes">A day-by-day run's arena size from which it is planned from the keys: <see cref="PlanFromKeysArenaBytes"/>, smaller in tests.</param>
    /// <param name="arenaAfter">Given the run's event arena once the events are computed (tests read how it was laid out).</param>
    /// <param name="filedPlanArenaBytes">A filed run's arena size from which it is planned from the filed days: <see cref="PlanFromFiledArenaBytes"/>, other sizes in tests.</param>
    /// <param name="readGarbageArenaBytes">A day-by-day run's arena size above which its read bounds its garbage (<see cref="BoundsReadGarbage"/>): <see cref="KeepFreedArenaBytes"/>, smaller in tests.</param>
    public static ComputeResult Run(FeatureGroupDefinition def, IEventSource source, DateTimeOffset from, DateTimeOffset to, IFeatureSink sink, int parallelism,
        CancellationToken cancellation = default, int chunkRows = MaxChunkRows, int dayPartRows = DayPartRows, long keysFirstArenaBytes = PlanFromKeysArenaBytes,
        Action<EventArena>? arenaAfter = null, long filedPlanArenaBytes = PlanFromFiledArenaBytes, long readGarbageArenaBytes = KeepFreedArenaBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dayPartRows, chunkRows);
        // A batch run is all throughput: background (concurrent) GC costs ~10% more CPU on both cores and a larger
        // peak heap for pause times nobody waits on. Restored afterwards, since the setting is process-wide.
        var latency = System.Runtime.GCSettings.LatencyMode;
        if (latency == System.Runtime.GCLatencyMode.Interactive) { System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch; }
        try
        {
            return RunCore(def, source, from, to, sink, parallelism, cancellation, chunkRows, dayPartRows, keysFirstArenaBytes, arenaAfter, filedPlanArenaBytes, readGarbageArenaBytes);
        }
        finally
        {
            if (latency == System.Runtime.GCLatencyMode.Interactive) { System.Runtime.GCSettings.LatencyMode = latency; }
        }
    }

    private static ComputeResult RunCore(FeatureGroupDefinition def, IEventSource source, DateTimeOffset from, DateTimeOffset to, IFeatureSink sink, int parallelism,
        CancellationToken cancellation, int chunkRows, int dayPartRows, long keysFirstArenaBytes, Action<EventArena>? arenaAfter, long filedPlanArenaBytes,
        long readGarbageArenaBytes)
    {
        if (to <= from) { throw Errors.InvalidArgument($"--to ({to:O}) must be after --from ({from:O})"); }
        var started = System.Diagnostics.Stopwatch.StartNew();
        var group = FeatureGroup.Compile(def, source.Schema);
        var engine = new FeatureEngine(group.Plan, parallelism > 0 ? parallelism : Environment.ProcessorCount);
        var (readFrom, readTo) = FeatureGroup.RequiredRange(def, from, to);
        long fromMicros = FeatureStream.Micros(from);
        long toMicros = FeatureStream.Micros(to);
        long readStart = readFrom is { } rf ? FeatureStream.Micros(rf) : long.MinValue;
        var names = group.OutputSchema.FieldsList.Select(f => f.Name).ToArray();
        var isFloat = group.Plan.Slots.Select(s => s.Kind == ValueKind.Float64).ToArray();
        // Once encoded, events keep only the source columns that expression features read.
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, expr, _) in group.Plan.Expressions) { ExprColumns.Collect(expr, keep); }
        // Which events there are and whose: the entity, time and filter columns (all a key pass reads).
        var keyColumns = new HashSet<string>(StringComparer.Ordinal) { def.Timestamp };
        foreach (var key in def.Entity) { keyColumns.Add(key); }
        if (group.Plan.Filter is { } filter) { ExprColumns.Collect(filter, keyColumns); }
        // The source decodes only the columns the group reads (those, its slot and expression columns).
        var reads = new HashSet<string>(keyColumns, StringComparer.Ordinal);
        reads.UnionWith(keep);
        foreach (var slot in group.Plan.Slots) { ExprColumns.Collect(slot.Expr, reads); }
        source = source.Select(reads);
        long rowsWritten = 0, eventsRead = 0;
        int partitions = 0;
        long lastDayWritten = long.MinValue;
        var pending = new List<EventChunk>();
        int pendingRows = 0;
        long heapAfterCollect = GC.GetTotalMemory(false);
        Task? writing = null;
        // The previous batch's filing by day, which runs while the next batch decodes and encodes.
        Task? filing = null;
        DayFiler? filer = null;
        // A file source's days are unpacked into arrays that go back here once their chunk is output, so each day
        // reuses the last one's rather than leaving ~20 bytes an event on the large-object heap. Only then: other
        // sources' chunks hold the arrays their batches were converted into.
        var dayArrays = source.PrunesByTime(def.Timestamp) ? null : new ChunkArrays();
        // A large day's parts are gathered into arrays that go back here once the part is output.
        var partArrays = new ChunkArrays();
        // While a file source is read: each batch's encoded arrays (entity ids, slot values), once filed, go here for
        // the next batch to encode into, rather than being another batch's garbage on the large-object heap.
        ChunkArrays? encodeArrays = null;
        // A day-by-day run's events per day, where the source knows them (EventsPerDay).
        IReadOnlyDictionary<long, long>? perDay = null;
        try
        {
            ReadAndCompute();
            arenaAfter?.Invoke(engine.Arena);
            StageTimes.Mark(JobMark.ChunksEnd);
            writing?.GetAwaiter().GetResult();
            StageTimes.Mark(JobMark.WritesEnd);
        }
        catch
        {
            // Let an in-flight write finish before the caller disposes the sink; the first error is the one to report.
            if (filing is not null) { ((IAsyncResult)filing).AsyncWaitHandle.WaitOne(); }
            if (writing is not null) { ((IAsyncResult)writing).AsyncWaitHandle.WaitOne(); }
            throw;
        }

        if (partitions == 0)
        {
            // Leave a file with the output schema even when no event falls in the range.
            sink.WritePartition(DateOnly.FromDateTime(from.UtcDateTime), names, EmptyColumns(group), 0, 0);
        }
        var tc = StageTimes.Now;
        var files = sink.Complete();
        StageTimes.Add(Stage.Write, tc);
        StageTimes.Mark(JobMark.CompleteEnd);
        return new ComputeResult(rowsWritten, eventsRead, partitions, readFrom, readTo, files, started.Elapsed);

        void ReadAndCompute()
        {
            if (source.PrunesByTime(def.Timestamp))
            {
                // Day by day: memory holds about one chunk plus the windows' state.
                long day = FloorDay(readFrom is { } r0 ? FeatureStream.Micros(r0) : fromMicros);
                if (readFrom is null)
                {
                    // Unbounded windows need all history, whose first day is unknown: one scan of everything before
                    // the first output day, filed by day and computed in day-sized chunks like a file.
                    var history = new SortedDictionary<long, List<FiledEvents>>();
                    foreach (var batch in Timed(source.Read(def.Timestamp, null, FromMicros(day * Durations.MicrosPerDay))))
                    {
                        if (Encode(batch, long.MinValue, day * Durations.MicrosPerDay) is { } piece) { File(piece, history); }
                    }
                    FiledAll();
                    ComputeDays(history);
                }
                else if (source.EventsPerDay(def.Timestamp, FromMicros(Math.Max(day * Durations.MicrosPerDay, readStart)), to) is { Count: > 0 } sizes)
                {
                    perDay = sizes;
                    // Read day by day, the windows' events are known only as they come: a source that knows its days'
                    // sizes (a day-partitioned table) sizes the arena once, rather than having it grow by rebuilds;
                    // a large arena is planned entity by entity from a first pass over the keys.
                    long reserve = ArenaReserve(sizes, def.LongestWindowMicros, engine.Entities.Count);
                    if (reserve * EventArena.BytesPerEvent(isFloat.Length) < keysFirstArenaBytes || !PresizedFromKeys(day))
                    {
                        engine.Arena.Reserve(reserve);
                    }
                }
                foreach (var (start, end) in DaysToRead(day))
                {
                    var pieces = new List<EventChunk>();
                    bool bounds = BoundsReadGarbage(engine.Arena.Time.Length * EventArena.BytesPerEvent(isFloat.Length), readGarbageArenaBytes);
                    // The previous day's chunk and parts are garbage now, which the day's batches, decoded together,
                    // would otherwise be allocated beside.
                    if (bounds) { Collect(GCCollectionMode.Aggressive); }
                    foreach (var batch in Timed(source.Read(def.Timestamp, FromMicros(start), FromMicros(end))))
                    {
                        if (Encode(batch, start, end) is { } piece) { pieces.Add(piece); }
                        // The decoded batch is garbage once encoded: beside a large arena a day's read (two 1M-row
                        // batches and their encoding on the 7-day table) otherwise piled ~100 MB on the chunks' memory.
                        if (bounds) { BoundGarbage(GCCollectionMode.Aggressive); }
                    }
                    AddDay(pieces);
                }
            }
            else
            {
                // One scan: each batch is encoded as it arrives and filed by day, then the days are computed in order.
                var days = new SortedDictionary<long, List<FiledEvents>>();
                encodeArrays = new ChunkArrays();
                foreach (var batch in Timed(source.Read(def.Timestamp, readFrom, to)))
                {
                    if (Encode(batch, readStart, toMicros) is { } piece) { File(piece, days); }
                }
                FiledAll();
                StageTimes.Mark(JobMark.ReadEnd);
                encodeArrays = null;
                // Decoding left several times the encoded events' size in garbage: collect it once before the chunks
                // start allocating their own buffers. A large heap gives the memory back to the OS; a small one keeps it
                // for the chunks and the writer, which allocate more than that anyway, rather than have them fault the
                // same pages in again (see KeepFreedBelowBytes).
                // Every entity's events are known: each gets a region of the most it will hold, laid out once
                // (PlanFromFiledArenaBytes).
                var planning = StageTimes.Now;
                long reserve = ArenaReserve(days, def.LongestWindowMicros, engine.Entities.Count);
                bool plan = engine.RetainsWindowsOnly && reserve * EventArena.BytesPerEvent(isFloat.Length) >= filedPlanArenaBytes;
                var rooms = plan ? EntityRooms(days, def.LongestWindowMicros, engine.Entities.Count, chunkRows, engine.Parallelism) : null;
                StageTimes.Add(Stage.File, planning);
                long arenaBytes = rooms is null ? 0 : EventArena.BytesFor(rooms, isFloat.Length);
                var collecting = StageTimes.Now;
                GC.Collect(2, PostReadCollection(GC.GetTotalMemory(false), arenaBytes), blocking: true, compacting: true);
                heapAfterCollect = GC.GetTotalMemory(false);
                StageTimes.Add(Stage.Collect, collecting);
                StageTimes.Mark(JobMark.PostReadGcEnd);
                if (rooms is null || !engine.Arena.Presize(rooms))
                {
                    engine.Arena.Reserve(reserve);
                }
                ComputeDays(days);
            }
            Flush();
        }

        // Files a batch's events by day on another worker, one batch at a time and in batch order (a day's pieces
        // must stay in arrival order): encoding (entity ids are handed out in arrival order, so it stays on this
        // thread) and filing then overlap. The filing waits for the batch's Prepare, queued behind the previous
        // batch's filing.
        void File(EventChunk piece, SortedDictionary<long, List<FiledEvents>> days)
        {
            filing?.GetAwaiter().GetResult();
            var f = filer ??= new DayFiler(isFloat, engine.Parallelism);
            var recycle = encodeArrays;
            filing = Task.Run(() => f.File(piece, days, recycle));
        }

        // Numbers a file batch's days and files its times on a worker while this thread encodes it (the 1M-event
        // bench is one row group: without this, the second core idled through the encoding). Queued behind the
        // previous batch's filing, which uses the same buffers; errors surface where File waits.
        void Prepare(long[] time, int length)
        {
            if (engine.Parallelism < 2) { return; }
            var f = filer ??= new DayFiler(isFloat, engine.Parallelism);
            var previous = filing;
            filing = previous is null
                ? Task.Run(() => f.Prepare(time, length))
                : previous.ContinueWith(p =>
                {
                    p.GetAwaiter().GetResult();
                    f.Prepare(time, length);
                }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        // A source read day by day (a day-partitioned table) knows at most its days' sizes, not its entities', so the
        // arena's regions grew by half again as they filled, leaving the outgrown ones behind (10M events over 7 days:
        // room for ~16.9M events touched for 10M). Where its entity and time columns can be read alone, a first pass
        // over them, day by day as the events are read, plans each entity's room once, as a file run's filed days do.
        // The same reads in the same order hand out the entity ids the events' reads then find, so the output is the
        // same row for row and byte for byte.
        bool PresizedFromKeys(long firstDay)
        {
            if (!engine.RetainsWindowsOnly) { return false; }
            var keys = source.Select(keyColumns);
            // Nothing to leave out: the first pass would read every column twice.
            if (ReferenceEquals(keys, source)) { return false; }
            var collected = new DayEntities();
            foreach (var (start, end) in DaysToRead(firstDay))
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var batch in Timed(keys.Read(def.Timestamp, FromMicros(start), FromMicros(end))))
                {
                    var t0 = StageTimes.Now;
                    var columns = RestrictTime(ArrowColumns.FromBatch(batch, engine.Parallelism), batch.Length, def.Timestamp, start, end, out int length);
                    if (length > 0)
                    {
                        var (entity, time, n) = engine.EncodeKeys(columns, length);
                        collected.Add(entity, time, n);
                    }
                    StageTimes.Add(Stage.Encode, t0);
                }
            }
            var planning = StageTimes.Now;
            var rooms = EntityRooms(collected.Days, def.LongestWindowMicros, engine.Entities.Count, chunkRows, engine.Parallelism);
            StageTimes.Add(Stage.File, planning);
            // The first pass's ids and decoded columns are garbage now: collected before the events are read.
            var collecting = StageTimes.Now;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            heapAfterCollect = GC.GetTotalMemory(false);
            StageTimes.Add(Stage.Collect, collecting);
            return rooms is not null && engine.Arena.Presize(rooms);
        }

        // The time ranges a day-by-day run reads, from firstDay's: each day in [readStart, to), but a day the source
        // planned no file for (it has no events: its scan is not planned).
        IEnumerable<(long Start, long End)> DaysToRead(long firstDay)
        {
            for (long day = firstDay; day * Durations.MicrosPerDay < toMicros; day++)
            {
                if (perDay is not null && !perDay.ContainsKey(day)) { continue; }
                yield return (Math.Max(day * Durations.MicrosPerDay, readStart), Math.Min((day + 1) * Durations.MicrosPerDay, toMicros));
            }
        }

        // Waits for the last filing and lets the filer's buffers go.
        void FiledAll()
        {
            filing?.GetAwaiter().GetResult();
            filing = null;
            filer = null;
        }

        // Feeds filed days to the engine in order, releasing each as it goes. The days a chunk takes (AddDay's rule,
        // on the filed row counts) are unpacked together, straight into the chunk's arrays: unpacked day by day, each
        // day was copied again when the chunk's days were concatenated, and each unpack was a parallel loop of its own
        // (1M-event bench: 30 days in 10 chunks).
        void ComputeDays(SortedDictionary<long, List<FiledEvents>> days)
        {
            var group = new List<FiledEvents>();
            int groupRows = 0;
            while (days.Count > 0)
            {
                var (day, pieces) = days.First();
                days.Remove(day);
                int dayRows = DayRows(pieces);
                if (Overflows(pendingRows + groupRows, dayRows, chunkRows))
                {
                    AddUnpacked(group);
                    groupRows = 0;
                    Flush();
                }
                group.AddRange(pieces);
                groupRows += dayRows;
            }
            AddUnpacked(group);
        }

        void AddUnpacked(List<FiledEvents> group)
        {
            if (group.Count == 0) { return; }
            var t0 = StageTimes.Now;
            var events = FiledEvents.Unpack(group, engine.Parallelism, dayArrays);
            StageTimes.Add(Stage.Encode, t0);
            group.Clear();
            AddDay([events]);
        }

        // Adds one day's events to the pending chunk, computing the chunk first when the day would push it past
        // MaxChunkRows (a day larger than that is a chunk on its own): the per-chunk arrays then stay one size.
        void AddDay(List<EventChunk> pieces)
        {
            cancellation.ThrowIfCancellationRequested();
            int dayRows = 0;
            foreach (var piece in pieces) { dayRows += piece.Length; }
            if (Overflows(pendingRows, dayRows, chunkRows)) { Flush(); }
            foreach (var piece in pieces)
            {
                pending.Add(piece);
                pendingRows += piece.Length;
                eventsRead += piece.Length;
            }
            // A chunk no further day can join is computed now, before the next day is read: a source read day by day
            // held the next day's events and its read's garbage beside this day's chunk and outputs (the same chunks).
            if (pendingRows >= chunkRows) { Flush(); }
        }

        EventChunk? Encode(RecordBatch batch, long start, long end)
        {
            var t0 = StageTimes.Now;
            var columns = ArrowColumns.FromBatch(batch, engine.Parallelism);
            int length = batch.Length;
            columns = RestrictTime(columns, length, def.Timestamp, start, end, out length);
            StageTimes.Add(Stage.Read, t0);
            if (length == 0) { return null; }
            if (encodeArrays is not null && columns[def.Timestamp].Longs is { } times && times.Length == length) { Prepare(times, length); }
            t0 = StageTimes.Now;
            var chunk = engine.Encode(columns, length, encodeArrays).Project(keep);
            StageTimes.Add(Stage.Encode, t0);
            return chunk.Length == 0 ? null : chunk;
        }

        void Flush()
        {
            if (pendingRows == 0) { return; }
            cancellation.ThrowIfCancellationRequested();
            var t0 = StageTimes.Now;
            // A chunk this large is one day (AddDay's rule): computed and written in parts by entity range, it holds a
            // part's outputs rather than the whole day's, and the parts' rows, one after the other, are the day's.
            // Each part is gathered only when its turn comes, into the same few pooled arrays: the day is held once
            // with one part beside it, where splitting it whole held it twice (10M events over 7 days, 1.43M a day:
            // ~30 MB less, and no day's worth of fresh parts left as garbage).
            int partRows = PartRows(pendingRows, dayPartRows);
            EntityParts? parts = null;
            EventChunk? chunk = null;
            // A day read as several batches (a table's row groups) is cut from its batches' pieces, not from their
            // concatenation: made first, that held the day twice while it was copied, and left the pieces' ~30 MB
            // free but committed through the day's parts (the 7-day table's peak). Pieces with source columns (kept
            // for expression features) are concatenated.
            if (dayArrays is null && pending.Count > 1 && pendingRows > partRows && pending.TrueForAll(p => p.Columns.Count == 0))
            {
                parts = EntityRanges.Plan(pending.ToArray(), engine.Entities.Count, partRows);
            }
            if (parts is null)
            {
                chunk = EventChunk.Concat(pending, dayArrays);
                if (dayArrays is not null && pending.Count > 1)
                {
                    foreach (var piece in pending) { piece.Recycle(dayArrays); }
                }
                parts = chunk.Length > partRows ? EntityRanges.Plan(chunk, engine.Entities.Count, partRows) : null;
            }
            pending.Clear();
            pendingRows = 0;
            StageTimes.Add(Stage.Encode, t0);
            if (parts is null)
            {
                ComputeAndWrite(chunk!, dayArrays);
                return;
            }
            for (int p = 0; p < parts.Count; p++)
            {
                cancellation.ThrowIfCancellationRequested();
                var t1 = StageTimes.Now;
                var part = parts.Take(p, partArrays, engine.Parallelism);
                StageTimes.Add(Stage.Encode, t1);
                ComputeAndWrite(part, partArrays);
            }
            if (dayArrays is not null) { chunk?.Recycle(dayArrays); }
        }

        // Computes a chunk and hands its outputs to the writing task (owner: the pool the chunk's arrays came from,
        // where they go back once its outputs are copied; null when they are not pooled).
        void ComputeAndWrite(EventChunk chunk, ChunkArrays? owner)
        {
            BoundGarbage();
            // Outputs come in (day, entity, time) order, so each day is one contiguous block of rows, and the rows
            // output for it (time in [from, to)) are the whole block unless from/to cut a day.
            var features = engine.ProcessByDay(chunk, out var rowAt);
            var mark = StageTimes.Now;
            var all = group.OrderedOutputColumns(engine, chunk, features, rowAt);
            engine.ReturnRowOrder(rowAt);
            StageTimes.Add(Stage.Output, mark);
            // The output columns are copies (in output order): the chunk's arrays can serve the next chunk.
            if (owner is not null) { chunk.Recycle(owner); }
            // Write this chunk while the next one computes (one write in flight, so at most two chunks' outputs are
            // held): the writer's serial parts and the engine's fill each other's idle core.
            var waited = StageTimes.Now;
            writing?.GetAwaiter().GetResult();
            StageTimes.Add(Stage.WriteWait, waited);
            int length = chunk.Length;
            writing = Task.Run(() =>
            {
                WriteDays(all, length);
                // The sinks copy what they write, so the chunk's output arrays can go back to the pools.
                group.ReturnOrderedOutputColumns(engine, all);
            });
        }

        // Collects when the previous chunks' garbage passes the budget: the heap then holds the filed events, the
        // windows' state, and at most about a budget of garbage, rather than whatever the GC's budget grew to.
        // (GarbageBudgetBytes, or a GarbageBudgetDivisor-th of the heap after the last collection.) Forced and in place
        // between chunks, where the next chunk reuses the freed memory; aggressive after a read's batches (see
        // BoundsReadGarbage).
        void BoundGarbage(GCCollectionMode mode = GCCollectionMode.Forced)
        {
            if (GC.GetTotalMemory(false) - heapAfterCollect <= GarbageBudget(heapAfterCollect)) { return; }
            Collect(mode);
        }

        void Collect(GCCollectionMode mode)
        {
            var collecting = StageTimes.Now;
            GC.Collect(2, mode, blocking: true, compacting: mode == GCCollectionMode.Aggressive);
            heapAfterCollect = GC.GetTotalMemory(false);
            StageTimes.Add(Stage.Collect, collecting);
        }

        // Rows come in (day, entity, time) order: each day is one block, found by comparing times with the day's end
        // (no division a row), and written whole, or only its rows in [from, to) when those cut the day.
        void WriteDays(ValueVector[] all, int length)
        {
            var time = all[def.Entity.Count].Longs!;
            List<int>? rows = null;
            for (int start = 0; start < length;)
            {
                long day = FloorDay(time[start]);
                // Saturated at the ends of the long range, where the day's bounds do not fit.
                long dayStart = day > long.MinValue / Durations.MicrosPerDay ? day * Durations.MicrosPerDay : long.MinValue;
                long dayEnd = day < long.MaxValue / Durations.MicrosPerDay - 1 ? day * Durations.MicrosPerDay + Durations.MicrosPerDay : long.MaxValue;
                int end = start + 1;
                while (end < length && (time[end] < dayEnd || FloorDay(time[end]) == day)) { end++; }
                var date = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)day);
                var mark = StageTimes.Now;
                int written;
                if (dayStart >= fromMicros && dayEnd <= toMicros)
                {
                    written = end - start;
                    sink.WritePartition(date, names, all, start, written);
                }
                else
                {
                    rows ??= new List<int>();
                    rows.Clear();
                    for (int i = start; i < end; i++)
                    {
                        if (time[i] >= fromMicros && time[i] < toMicros) { rows.Add(i); }
                    }
                    written = rows.Count;
                    if (written > 0 && rows[^1] - rows[0] + 1 == written)
                    {
                        sink.WritePartition(date, names, all, rows[0], written);
                    }
                    else if (written > 0)
                    {
                        var picked = new ValueVector[all.Length];
                        for (int c = 0; c < all.Length; c++) { picked[c] = all[c].Take(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows)); }
                        sink.WritePartition(date, names, picked, 0, written);
                    }
                }
                StageTimes.Add(Stage.Write, mark);
                if (written > 0)
                {
                    rowsWritten += written;
                    // A day computed in parts is written in several calls, one after the other.
                    if (day != lastDayWritten) { partitions++; }
                    lastDayWritten = day;
                }
                start = end;
            }
        }
    }

    /// <summary>
    /// About how many events the engine's arena will hold at once (its regions' room included), from the filed days'
    /// event counts: the most events any span of the longest window's days plus one chunk's days holds, each entity's
    /// region holding half as much room again as its events (<see cref="EventArena"/>), at least a small region per
    /// entity, and an eighth on top as a rebuild asks. Zero (no reserve) for unbounded windows, which keep every
    /// event. An estimate, not a bound (an entity idle since before the span keeps its older events): a larger need
    /// grows the arena as before.
    /// </summary>
    internal static long ArenaReserve(SortedDictionary<long, List<FiledEvents>> days, long longestWindowMicros, int entities)
    {
        var eventsPerDay = new SortedDictionary<long, long>();
        foreach (var (day, pieces) in days)
        {
            eventsPerDay[day] = DayRows(pieces);
        }
        return ArenaReserve(eventsPerDay, longestWindowMicros, entities);
    }

    /// <summary>
    /// <see cref="ArenaReserve(SortedDictionary{long, List{FiledEvents}}, long, int)"/> from each day's event count
    /// (days since 1970-01-01), such as a day-partitioned table's record counts (<see cref="IEventSource.EventsPerDay"/>).
    /// </summary>
    internal static long ArenaReserve(IReadOnlyDictionary<long, long> eventsPerDay, long longestWindowMicros, int entities)
    {
        if (eventsPerDay.Count == 0 || longestWindowMicros <= 0 || longestWindowMicros == long.MaxValue) { return 0; }
        long windowDays = Durations.CeilingDays(longestWindowMicros);
        var dayList = new long[eventsPerDay.Count];
        var counts = new long[eventsPerDay.Count];
        int n = 0;
        foreach (var day in eventsPerDay.Keys) { dayList[n++] = day; }
        System.Array.Sort(dayList);
        long largestDay = 0;
        for (int i = 0; i < n; i++)
        {
            counts[i] = eventsPerDay[dayList[i]];
            largestDay = Math.Max(largestDay, counts[i]);
        }
        // A chunk spans the days that fit MaxChunkRows, at least one.
        long chunkDays = Math.Max(1, MaxChunkRows / Math.Max(1, largestDay));
        long span = windowDays + chunkDays;
        long most = 0, sum = 0;
        for (int hi = 0, lo = 0; hi < n; hi++)
        {
            sum += counts[hi];
            while (dayList[hi] - dayList[lo] >= span) { sum -= counts[lo++]; }
            most = Math.Max(most, sum);
        }
        long room = most + (most / 2) + (8L * entities);
        return room + (room / 8);
    }

    /// <summary>
    /// The room each entity's region needs for the filed days (<see cref="EventArena.Presize"/>), or null when windows
    /// are unbounded. The days are taken in the chunks <c>ComputeDays</c> forms (whole days up to
    /// <paramref name="chunkRows"/> events, a larger day alone). When a chunk's events are appended, an entity holds
    /// its new events and what it kept after its last event: at most its events of the longest window's days back
    /// from that event's day (events leave only when the entity is next computed, so a quiet entity keeps them). Its
    /// room is all its events when they are at most half as many again as the most of that over the chunks (then it
    /// never moves: a window as long as the run), else that most and a quarter, for the moves back to the region's
    /// start as its oldest events leave (a move every few chunks: the day-granular bound already counts a day more
    /// than the window keeps; with half again, the 10M-event Zipf bench's 30 days, 7-day window, planned 5.0M events'
    /// room where growing regions touched 4.5M). An entity's room depends only on its event count on each day: the
    /// days' counts are taken on up to <paramref name="parallelism"/> threads, straight from the packed ids
    /// (<see cref="EntityRoomPlan"/>).
    /// </summary>
    internal static int[]? EntityRooms(SortedDictionary<long, List<FiledEvents>> days, long longestWindowMicros, int entities, int chunkRows = MaxChunkRows, int parallelism = 1)
    {
        var filed = new List<FiledEvents>[days.Count];
        days.Values.CopyTo(filed, 0);
        return EntityRooms(days, longestWindowMicros, entities, chunkRows, parallelism, DayRows, (d, counts) =>
        {
            foreach (var piece in filed[d]) { piece.CountEntityIds(counts); }
        });
    }

    /// <summary>
    /// As the overload above, from each day's events' entity ids alone, such as a first pass over a table's entity
    /// and time columns gathers them (<see cref="DayEntities"/>).
    /// </summary>
    internal static int[]? EntityRooms(SortedDictionary<long, List<ReadOnlyMemory<int>>> days, long longestWindowMicros, int entities, int chunkRows = MaxChunkRows, int parallelism = 1)
    {
        var gathered = new List<ReadOnlyMemory<int>>[days.Count];
        days.Values.CopyTo(gathered, 0);
        return EntityRooms(days, longestWindowMicros, entities, chunkRows, parallelism, DayRows, (d, counts) =>
        {
            foreach (var piece in gathered[d])
            {
                foreach (int e in piece.Span) { counts[e]++; }
            }
        });
    }

    // The plan from any day's pieces: their days, event counts and a way to count their entity ids.
    private static int[]? EntityRooms<TPieces>(SortedDictionary<long, TPieces> days, long longestWindowMicros, int entities, int chunkRows, int parallelism,
        Func<TPieces, int> dayRows, EntityRoomPlan.DayCounter count)
    {
        if (days.Count == 0 || longestWindowMicros <= 0 || longestWindowMicros == long.MaxValue) { return null; }
        long windowDays = Durations.CeilingDays(longestWindowMicros);
        var dayList = new long[days.Count];
        var rows = new int[days.Count];
        int n = 0;
        foreach (var (day, pieces) in days)
        {
            dayList[n] = day;
            rows[n++] = dayRows(pieces);
        }
        return EntityRoomPlan.Rooms(dayList, rows, count, windowDays, entities, chunkRows, parallelism);
    }

    /// <summary>
    /// Whether a day of <paramref name="adding"/> events starts a new chunk after <paramref name="held"/>: AddDay's
    /// rule, which ComputeDays applies ahead of it to know which filed days to unpack together, and
    /// <see cref="EntityRooms(SortedDictionary{long, List{FiledEvents}}, long, int, int, int)"/> to know which days' events an entity's region holds at once.
    /// </summary>
    internal static bool Overflows(long held, long adding, int chunkRows) => held > 0 && held + adding > chunkRows;

    /// <summary>The events filed for one day.</summary>
    private static int DayRows(List<FiledEvents> pieces)
    {
        int rows = 0;
        foreach (var piece in pieces) { rows = checked(rows + piece.Length); }
        return rows;
    }

    /// <summary>The events of one day's entity ids.</summary>
    private static int DayRows(List<ReadOnlyMemory<int>> pieces)
    {
        int rows = 0;
        foreach (var piece in pieces) { rows = checked(rows + piece.Length); }
        return rows;
    }

    // The batches of a source, the time spent waiting for each (decoding) counted as reading.
    private static IEnumerable<RecordBatch> Timed(IEnumerable<RecordBatch> batches)
    {
        using var e = batches.GetEnumerator();
        while (true)
        {
            var t0 = StageTimes.Now;
            bool more = e.MoveNext();
            StageTimes.Add(Stage.Read, t0);
            if (!more) { yield break; }
            yield return e.Current;
        }
    }

    /// <summary>Zero-row output columns of <paramref name="group"/>, of the kinds its real output has.</summary>
    internal static ValueVector[] EmptyColumns(FeatureGroup group)
    {
        var batch = group.EmptyOutput();
        var cols = new ValueVector[batch.ColumnCount];
        for (int c = 0; c < cols.Length; c++)
        {
            var f = batch.Schema.GetFieldByIndex(c);
            cols[c] = f.DataType is Apache.Arrow.Types.ListType
                ? ValueVector.FromList(ValueKind.String, [0], ValueVector.Empty(ValueKind.String), null)
                : ArrowColumns.FromArray(batch.Column(c), f.Name);
        }
        return cols;
    }

    private static Dictionary<string, ValueVector> RestrictTime(Dictionary<string, ValueVector> columns, int length, string timestamp, long start, long end, out int kept)
    {
        if (!columns.TryGetValue(timestamp, out var time) || time.Longs is null)
        {
            throw Errors.InvalidData($"source: timestamp column '{timestamp}' is missing or not a timestamp");
        }
        var values = time.Longs;
        var valid = time.Valid;
        // Validity read inline, and the range as one unsigned compare: a call per row was most of this pass.
        ulong span = end > start ? (ulong)(end - start) : 0;
        int inside = 0;
        if (valid is null)
        {
            inside = CountInRange(values.AsSpan(0, length), start, span);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                inside += (ulong)(values[i] - start) < span && ((valid[i >> 6] >> (i & 63)) & 1UL) != 0 ? 1 : 0;
            }
        }
        kept = inside;
        if (inside == length) { return columns; }
        var rows = new int[inside];
        for (int i = 0, j = 0; i < length; i++)
        {
            if ((ulong)(values[i] - start) < span && (valid is null || ((valid[i >> 6] >> (i & 63)) & 1UL) != 0)) { rows[j++] = i; }
        }
        var result = new Dictionary<string, ValueVector>(columns.Count, StringComparer.Ordinal);
        foreach (var (name, c) in columns) { result[name] = c.Take(rows); }
        return result;
    }

    /// <summary>
    /// How many of <paramref name="values"/> lie in [start, start + span), four at a time: a file's one batch is counted
    /// on the main thread before anything else can start (1M-event bench: 13M instructions scalar).
    /// </summary>
    internal static int CountInRange(ReadOnlySpan<long> values, long start, ulong span)
    {
        int i = 0;
        long count = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<long>.Count)
        {
            var from = Vector256.Create((ulong)start);
            var limit = Vector256.Create(span);
            var inside = Vector256<ulong>.Zero;
            ref long first = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<long>.Count; i += Vector256<long>.Count)
            {
                // A lane's mask is all ones (−1) when inside: subtracting it counts one.
                inside -= Vector256.LessThan(Vector256.LoadUnsafe(ref first, (nuint)i).AsUInt64() - from, limit);
            }
            count = (long)Vector256.Sum(inside);
        }
        for (; i < values.Length; i++) { count += (ulong)(values[i] - start) < span ? 1 : 0; }
        return (int)count;
    }

    private static long FloorDay(long micros) => Durations.FloorDay(micros);

    private static DateTimeOffset FromMicros(long micros) =>
        micros >= 253_402_300_799_000_000L ? DateTimeOffset.MaxValue : DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
