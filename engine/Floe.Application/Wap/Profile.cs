using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Floe.Iceberg.Scan;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.Wap;

/// <summary>
/// What an audit needs of one side (main or staging) over a set of data files: per numeric column the null count,
/// range and a seeded reservoir sample; and how many rows repeat an earlier (key columns) tuple.
/// </summary>
internal sealed class Profile
{
    private Profile(ColumnProfile[] columns, long duplicateKeys)
    {
        Columns = columns;
        DuplicateKeys = duplicateKeys;
    }

    public ColumnProfile[] Columns { get; }

    public long DuplicateKeys { get; }

    /// <summary>Reads <paramref name="tasks"/> of <paramref name="snapshotId"/> (none when null) and profiles them.</summary>
    public static Profile Of(Table table, long? snapshotId, IReadOnlyList<FileScanTask> tasks, string[] read, string[] numeric, string[] keyColumns)
    {
        var columns = new ColumnProfile[numeric.Length];
        for (int i = 0; i < columns.Length; i++) columns[i] = new ColumnProfile(seed: 17 + i);
        var keyHashes = new List<long>();
        var keyTimes = new List<long>();
        if (snapshotId is { } id && tasks.Count > 0)
        {
            var scan = new TableScan(table).UseSnapshot(id).Select(read);
            foreach (var batch in scan.ReadBatches(tasks))
            {
                for (int c = 0; c < numeric.Length; c++) columns[c].Add(batch.Column(batch.Schema.GetFieldIndex(numeric[c])));
                if (keyColumns.Length > 0) AddKeys(batch, keyColumns, keyHashes, keyTimes);
            }
        }
        return new Profile(columns, CountDuplicates(keyHashes, keyTimes));
    }

    /// <summary>64-bit FNV-1a of each row's entity values, with its time (the last key column) beside it.</summary>
    private static void AddKeys(RecordBatch batch, string[] keyColumns, List<long> hashes, List<long> times)
    {
        var arrays = new IArrowArray[keyColumns.Length];
        for (int k = 0; k < keyColumns.Length; k++) arrays[k] = batch.Column(batch.Schema.GetFieldIndex(keyColumns[k]));
        for (int row = 0; row < batch.Length; row++)
        {
            ulong hash = 14695981039346656037UL;
            for (int k = 0; k < arrays.Length - 1; k++) hash = Mix(hash, arrays[k], row);
            hashes.Add((long)hash);
            times.Add(arrays[^1] is TimestampArray ts && ts.IsValid(row) ? ts.Values[row] : long.MinValue);
        }
    }

    private static ulong Mix(ulong hash, IArrowArray array, int row)
    {
        Span<byte> scratch = stackalloc byte[8];
        ReadOnlySpan<byte> bytes = array switch
        {
            _ when array.IsNull(row) => [],
            StringArray s => s.GetBytes(row),
            Int64Array l => Write(scratch, l.Values[row]),
            Int32Array i => Write(scratch, i.Values[row]),
            TimestampArray t => Write(scratch, t.Values[row]),
            BooleanArray b => Write(scratch, b.GetValue(row) == true ? 1 : 0),
            _ => Encoding.UTF8.GetBytes(array.GetType().Name),
        };
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xFF;
        return hash * 1099511628211UL;
    }

    private static ReadOnlySpan<byte> Write(Span<byte> scratch, long value)
    {
        MemoryMarshal.Write(scratch, in value);
        return scratch;
    }

    private static long CountDuplicates(List<long> hashes, List<long> times)
    {
        if (hashes.Count < 2) return 0;
        var h = hashes.ToArray();
        var t = times.ToArray();
        // Sort by (hash, time): equal keys end up adjacent.
        var order = new long[h.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        System.Array.Sort(order, (a, b) => h[a] != h[b] ? h[a].CompareTo(h[b]) : t[a].CompareTo(t[b]));
        long duplicates = 0;
        for (int i = 1; i < order.Length; i++)
        {
            if (h[order[i]] == h[order[i - 1]] && t[order[i]] == t[order[i - 1]]) duplicates++;
        }
        return duplicates;
    }
}

/// <summary>One numeric column of one side: nulls, range and a seeded reservoir sample of its values.</summary>
internal sealed class ColumnProfile(int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<double> _sample = new();
    private long _seen;

    public long Rows { get; private set; }

    public long Nulls { get; private set; }

    public double? Min { get; private set; }

    public double? Max { get; private set; }

    public double NullRate => Rows == 0 ? 0 : (double)Nulls / Rows;

    public void Add(IArrowArray array)
    {
        Rows += array.Length;
        for (int i = 0; i < array.Length; i++)
        {
            if (array.IsNull(i))
            {
                Nulls++;
                continue;
            }
            double value = array switch
            {
                DoubleArray d => d.Values[i],
                FloatArray f => f.Values[i],
                Int64Array l => l.Values[i],
                Int32Array n => n.Values[i],
                _ => double.NaN,
            };
            if (double.IsNaN(value)) continue;
            if (Min is not { } min || value < min) Min = value;
            if (Max is not { } max || value > max) Max = value;
            // Reservoir sampling: every value has the same chance to be in the sample.
            _seen++;
            if (_sample.Count < AuditService.SampleSize) _sample.Add(value);
            else
            {
                long slot = _random.NextInt64(_seen);
                if (slot < AuditService.SampleSize) _sample[(int)slot] = value;
            }
        }
    }

    public double[] SortedSample()
    {
        var sorted = _sample.ToArray();
        System.Array.Sort(sorted);
        return sorted;
    }
}
