namespace Floe.Parquet.Writing;

/// <summary>
/// zstd compression contexts shared by every writer in the process. A page is compressed by renting a context for
/// that call only, so the number of contexts follows the pages compressing at once (about one per core), not the
/// column writers open; at most one per processor is kept per level between calls.
/// </summary>
internal static class ZstdContextPool
{
    private static readonly object Gate = new();
    private static readonly Dictionary<int, Stack<ZstdEncoder>> Idle = new();

    public static ZstdEncoder Rent(int level)
    {
        lock (Gate)
        {
            if (Idle.TryGetValue(level, out var stack) && stack.Count > 0) return stack.Pop();
        }
        return ZstdEncoder.Create(level);
    }

    public static void Return(int level, ZstdEncoder encoder)
    {
        lock (Gate)
        {
            if (!Idle.TryGetValue(level, out var stack))
            {
                stack = new Stack<ZstdEncoder>();
                Idle.Add(level, stack);
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
