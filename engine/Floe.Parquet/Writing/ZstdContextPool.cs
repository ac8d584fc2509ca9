namespace Floe.Parquet.Writing;

/// <summary>
/// zstd compression contexts shared by every writer in the process. A page is compressed by renting a context for
/// that call only, so the number of contexts follows the pages compressing at once (about one per core), not the
/// column writers open; at most one per processor is kept per effort (level and fast match length; and kind, libzstd or ZstdSharp) between calls.
/// Contexts left here live as long as the process; the native ones are freed by their finalizer otherwise.
/// </summary>
internal static class ZstdContextPool
{
    private static readonly object Gate = new();
    private static readonly Dictionary<(ZstdEffort Effort, bool Managed), Stack<ZstdEncoder>> Idle = new();

    /// <summary>A context at <paramref name="effort"/>: ZstdSharp when <paramref name="managed"/>, else libzstd.</summary>
    public static ZstdEncoder Rent(ZstdEffort effort, bool managed)
    {
        lock (Gate)
        {
            if (Idle.TryGetValue((effort, managed), out var stack) && stack.Count > 0) return stack.Pop();
        }
        return managed ? ZstdEncoder.CreateManaged(effort) : ZstdEncoder.CreateNative(effort);
    }

    /// <summary>Takes back a context from <see cref="Rent"/> with the same arguments.</summary>
    public static void Return(ZstdEffort effort, bool managed, ZstdEncoder encoder)
    {
        lock (Gate)
        {
            if (!Idle.TryGetValue((effort, managed), out var stack))
            {
                stack = new Stack<ZstdEncoder>();
                Idle.Add((effort, managed), stack);
            }
            if (stack.Count < Environment.ProcessorCount)
            {
                stack.Push(encoder);
                return;
            }
        }
        encoder.Dispose();
    }
}
