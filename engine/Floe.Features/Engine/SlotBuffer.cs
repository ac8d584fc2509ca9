namespace Floe.Features.Engine;

/// <summary>
/// One entity's non-null values of one slot, in event order, with their event positions: <c>Val[i]</c> is the value
/// (raw bits: long, double bits, or string id) of the event at absolute position <c>Pos[i]</c>; index i is absolute
/// position <c>VBase + i</c> in this list. Older entries are compacted away once no window needs them.
/// </summary>
internal sealed class SlotBuffer
{
    public long[] Pos = new long[4];
    public long[] Val = new long[4];
    public long VBase;
    public int VCount;
    public bool HasFirst;
    public long FirstVal;

    public long Total => VBase + VCount;

    public void Append(long position, long value, long keepFrom)
    {
        if (VCount == Pos.Length)
        {
            MakeRoom(keepFrom);
        }
        Pos[VCount] = position;
        Val[VCount] = value;
        VCount++;
        if (!HasFirst)
        {
            HasFirst = true;
            FirstVal = value;
        }
    }

    private void MakeRoom(long keepFrom)
    {
        int drop = (int)Math.Min(VCount, Math.Max(0, keepFrom - VBase));
        if (drop >= VCount / 2 && drop > 0)
        {
            Array.Copy(Pos, drop, Pos, 0, VCount - drop);
            Array.Copy(Val, drop, Val, 0, VCount - drop);
            VCount -= drop;
            VBase += drop;
            return;
        }
        Array.Resize(ref Pos, Pos.Length * 2);
        Array.Resize(ref Val, Val.Length * 2);
    }
}
