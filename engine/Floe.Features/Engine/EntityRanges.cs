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
    /// is one part.
    /// </summary>
    public static EventChunk[]? Split(EventChunk chunk, int entityCount, int partRows, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentOutOfRangeException.ThrowIfLessThan(partRows, 1);
        int n = chunk.Length;
        if (n <= partRows) { return null; }
        var entity = chunk.Entity;
        var perEntity = new int[entityCount];
        for (int i = 0; i < n; i++) { perEntity[entity[i]]++; }
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
        var partOf = GC.AllocateUninitializedArray<int>(n);
        for (int i = 0; i < n; i++) { partOf[i] = partOfEntity[entity[i]]; }
        var parts = chunk.Split(partOf, [.. counts], parallelism);
        var result = new EventChunk[parts.Length];
        for (int p = 0; p < parts.Length; p++) { result[p] = parts[p]!; }
        return result;
    }
}
