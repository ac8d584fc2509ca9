namespace Floe.Features.Engine;

/// <summary>
/// Cuts a large chunk into parts by ranges of entity id, so that each part can be computed and written on its own:
/// the output rows of a chunk come in (day, entity, time) order, so for a chunk of one day the parts' outputs,
/// one after the other, are the chunk's output row for row, while a part's working arrays and outputs are those
/// of a part, not of the whole day. An entity's events all go to one part (its window state is fetched and saved
/// once per part, as once per chunk), so an entity with more events than a part's target makes a larger part.
/// </summary>
internal static class EntityRanges
{
    /// <summary>
    /// The parts of <paramref name="chunk"/> (entity ids below <paramref name="entityCount"/>), in entity id order,
    /// each of about <paramref name="partRows"/> events; rows keep their order inside a part. Null when the chunk
    /// is one part. Each part is gathered only when taken (<see cref="EntityParts.Take"/>): a large day is then held
    /// once, with one part beside it, rather than as the day and all its parts.
    /// </summary>
    public static EntityParts? Plan(EventChunk chunk, int entityCount, int partRows)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return Plan([chunk], entityCount, partRows);
    }

    /// <summary>
    /// The parts of the events of <paramref name="pieces"/>, one after the other, as of their concatenation (see
    /// <see cref="Plan(EventChunk, int, int)"/>), each part gathered from the pieces when taken: a day read as several
    /// batches is then held once, as its batches' pieces, where concatenated first it was held twice while the copy
    /// was made (the 7-day table's 1.43M-event days: ~30 MB). The pieces keep no source columns
    /// (<see cref="EventChunk.Columns"/>).
    /// </summary>
    public static EntityParts? Plan(IReadOnlyList<EventChunk> pieces, int entityCount, int partRows)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentOutOfRangeException.ThrowIfLessThan(partRows, 1);
        var offsets = new int[pieces.Count + 1];
        for (int k = 0; k < pieces.Count; k++) { offsets[k + 1] = checked(offsets[k] + pieces[k].Length); }
        int n = offsets[^1];
        if (n <= partRows) { return null; }
        var perEntity = new int[entityCount];
        for (int k = 0; k < pieces.Count; k++)
        {
            var entity = pieces[k].Entity.AsSpan(0, offsets[k + 1] - offsets[k]);
            for (int i = 0; i < entity.Length; i++) { perEntity[entity[i]]++; }
        }
        // Entity ids in order, a new part whenever the next entity would take the current one past the target.
        var partOfEntity = perEntity; // reused in place: an entity's count is read before its part is written
        var counts = new List<int>();
        int held = 0;
        for (int e = 0; e < entityCount; e++)
        {
            int c = perEntity[e];
            if (c == 0) { continue; }
            if (held > 0 && held + c > partRows)
            {
                counts.Add(held);
                held = 0;
            }
            held += c;
            partOfEntity[e] = counts.Count;
        }
        counts.Add(held);
        if (counts.Count == 1) { return null; }
        // The rows (of the pieces one after the other) part after part: a stable counting sort by part.
        var start = new int[counts.Count + 1];
        for (int p = 0; p < counts.Count; p++) { start[p + 1] = start[p] + counts[p]; }
        var next = start.AsSpan(0, counts.Count).ToArray();
        var rows = GC.AllocateUninitializedArray<int>(n);
        for (int k = 0; k < pieces.Count; k++)
        {
            int at = offsets[k];
            var entity = pieces[k].Entity.AsSpan(0, offsets[k + 1] - at);
            for (int i = 0; i < entity.Length; i++) { rows[next[partOfEntity[entity[i]]]++] = at + i; }
        }
        return new EntityParts(pieces, offsets, rows, start);
    }
}
