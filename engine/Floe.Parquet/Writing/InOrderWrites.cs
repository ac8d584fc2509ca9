namespace Floe.Parquet.Writing;

/// <summary>
/// Writes items 0 … count − 1 in index order while they are made ready in any order, on any threads: whichever thread
/// makes an item ready writes it and every ready item after it, unless another thread is writing already (that one then
/// goes on to them). A row group's column chunks are encoded in parallel but go into the file in schema order; written
/// as they come ready, the file write runs beside the other columns' compression rather than alone after the last one
/// (bench/RESULTS.md, branch write28).
/// </summary>
internal sealed class InOrderWrites
{
    private readonly Action<int> _write;
    private readonly int[] _ready;
    // The next item to write; read and advanced only by the thread holding _writing.
    private int _next;
    private int _writing;
    private int _failed;

    /// <param name="count">How many items there are.</param>
    /// <param name="write">Writes one item; called once per item, in index order, never on two threads at once.</param>
    public InOrderWrites(int count, Action<int> write)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _ready = new int[count];
        _write = write ?? throw new ArgumentNullException(nameof(write));
    }

    /// <summary>Items written so far (all of them once every item is ready and the last <see cref="Ready"/> has returned).</summary>
    public int Written => Volatile.Read(ref _next);

    /// <summary>
    /// Marks <paramref name="index"/> ready and writes what can be written now. After a write has thrown nothing more
    /// is written: the exception goes to the thread whose call ran that write.
    /// </summary>
    public void Ready(int index)
    {
        Volatile.Write(ref _ready[index], 1);
        while (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                while (_next < _ready.Length && Volatile.Read(ref _ready[_next]) != 0 && Volatile.Read(ref _failed) == 0)
                {
                    _write(_next);
                    Volatile.Write(ref _next, _next + 1);
                }
            }
            catch
            {
                Volatile.Write(ref _failed, 1);
                throw;
            }
            finally
            {
                // A full fence (not a plain release) before the check below: an item made ready while this thread
                // held the writing turn is seen here, since its thread's own attempt found the turn taken.
                Interlocked.Exchange(ref _writing, 0);
            }
            // Read once: another thread may take the turn and advance it meanwhile.
            var next = Volatile.Read(ref _next);
            if (next >= _ready.Length || Volatile.Read(ref _ready[next]) == 0 || Volatile.Read(ref _failed) != 0) { return; }
        }
    }
}
