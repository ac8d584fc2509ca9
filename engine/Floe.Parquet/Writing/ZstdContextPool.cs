namespace Floe.Parquet.Writing;

/// <summary>
/// zstd compression contexts shared by every writer in the process. A page is compressed by renting a context for
/// that call only, so the number of contexts follows the pages compressing at once (about one per core), not the
/// column writers open; at most one per processor is kept per level (and kind, libzstd or ZstdSharp) between calls.
/// Contexts left here live as long as the process; the native ones are freed by their finalizer otherwise.
/// </summary>
internal static class ZstdContextPool
{
    private static readonly object Gate = new();
    private static readonly Dictionary<(int Level, bool Managed), Stack<ZstdEncoder>> Idle = new();

    /// <summary>A context at <paramref name="level"/>: ZstdSharp when <paramref name="managed"/>, else libzstd.</summary>
    public static ZstdEncoder Rent(int level, bool managed)
    {
        lock (Gate)
        {
            if (Idle.TryGetValue((level, managed), out var stack) && stack.Count > 0) return stack.Pop();
        }
        return managed ? ZstdEncoder.CreateManaged(level) : ZstdEncoder.CreateNative(level);
    }

    /// <summary>Takes back a context from <see cref="Rent"/> with the same arguments.</summary>
    public static void Return(int level, bool managed, ZstdEncoder encoder)
    {
        lock (Gate)
        {
            if (!Idle.TryGetValue((level, managed), out var stack))
            {
                stack = new Stack<ZstdEncoder>();
                Idle.Add((level, managed), stack);
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
