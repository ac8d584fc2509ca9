using System.Numerics;
using System.Runtime.CompilerServices;

namespace Floe.Kernels.Aggregates;

/// <summary>
/// A monotonic deque for sliding-window minimum or maximum in amortised O(1) per event. Entries are (position, value)
/// with positions increasing front to back; values are kept strictly improving from back to front, so the front is
/// the window's extreme. Values are stored inline so the window's events need not be kept to answer queries.
/// </summary>
/// <typeparam name="T">The value type (long or double; callers keep NaN out).</typeparam>
public sealed class MonotonicDeque<T>
    where T : struct, IComparisonOperators<T, T, bool>
{
    private readonly bool _isMax;
    private long[] _positions = new long[4];
    private T[] _values = new T[4];
    private int _head;
    private int _tail;

    /// <summary>Creates a deque that answers the maximum (<paramref name="isMax"/>) or the minimum.</summary>
    public MonotonicDeque(bool isMax) => _isMax = isMax;

    /// <summary>True when the deque holds no value.</summary>
    public bool IsEmpty => _head == _tail;

    /// <summary>The extreme value in the window; only valid when not <see cref="IsEmpty"/>.</summary>
    public T Front => _values[_head];

    /// <summary>Appends the value at <paramref name="position"/> (positions must increase), dropping dominated entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(long position, T value)
    {
        // Equal values are dominated too: the newer one lives at least as long.
        if (_isMax)
        {
            while (_tail > _head && _values[_tail - 1] <= value) { _tail--; }
        }
        else
        {
            while (_tail > _head && _values[_tail - 1] >= value) { _tail--; }
        }
        if (_tail == _positions.Length)
        {
            Grow();
        }
        _positions[_tail] = position;
        _values[_tail] = value;
        _tail++;
    }

    /// <summary>Drops entries whose position is below <paramref name="firstPosition"/> (they left the window).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EvictBefore(long firstPosition)
    {
        while (_head < _tail && _positions[_head] < firstPosition) { _head++; }
        if (_head == _tail)
        {
            _head = 0;
            _tail = 0;
        }
    }

    private void Grow()
    {
        int live = _tail - _head;
        if (_head > 0 && live <= _positions.Length / 2)
        {
            Array.Copy(_positions, _head, _positions, 0, live);
            Array.Copy(_values, _head, _values, 0, live);
        }
        else
        {
            var p = new long[_positions.Length * 2];
            var v = new T[_values.Length * 2];
            Array.Copy(_positions, _head, p, 0, live);
            Array.Copy(_values, _head, v, 0, live);
            _positions = p;
            _values = v;
        }
        _head = 0;
        _tail = live;
    }
}
