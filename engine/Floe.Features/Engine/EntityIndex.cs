using Floe.Features.Columns;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>Assigns every distinct entity key (one to four columns) a dense id, stable for the index's lifetime.</summary>
internal sealed class EntityIndex
{
    public const int MaxKeyColumns = 4;

    private readonly Dictionary<long, int> _single = [];
    private readonly Dictionary<KeyTuple, int> _multi = [];

    public int Count { get; private set; }

    /// <summary>
    /// Fills <paramref name="ids"/> with the entity id of each row, or -1 where a key part is null.
    /// </summary>
    public void Assign(IReadOnlyList<ColumnData> keys, StringPool strings, Span<int> ids)
    {
        int n = ids.Length;
        if (keys.Count == 1 && keys[0].Longs is { } single && keys[0].Kind != ValueKind.String)
        {
            var col = keys[0];
            for (int i = 0; i < n; i++)
            {
                if (!col.IsValid(i)) { ids[i] = -1; continue; }
                ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_single, single[i], out bool exists);
                if (!exists) { slot = Count++; }
                ids[i] = slot;
            }
            return;
        }
        Span<long> parts = stackalloc long[MaxKeyColumns];
        for (int i = 0; i < n; i++)
        {
            parts.Clear();
            bool isNull = false;
            for (int k = 0; k < keys.Count; k++)
            {
                var c = keys[k];
                if (!c.IsValid(i)) { isNull = true; break; }
                parts[k] = c.Kind == ValueKind.String ? strings.Intern(c.Strings![i]!) : c.Longs![i];
            }
            if (isNull) { ids[i] = -1; continue; }
            var key = new KeyTuple(parts[0], parts[1], parts[2], parts[3]);
            ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_multi, key, out bool exists);
            if (!exists) { slot = Count++; }
            ids[i] = slot;
        }
    }
}
