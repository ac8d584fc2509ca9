using Floe.Core.Expressions.Evaluation;
using Floe.Features.Engine;
using Floe.Features.Expressions;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Engine;

/// <summary>
/// Entity ids for single integer keys: small non-negative keys go through a direct array that grows (taking over keys
/// the dictionary held), the rest through the dictionary; either way ids must be dense in first-seen order and stable.
/// </summary>
public sealed class EntityIndexTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Assign_MixedDenseSparseAndNegativeKeys_GivesFirstSeenOrderIds(int seed)
    {
        var rnd = new Random(seed);
        var index = new EntityIndex();
        var strings = new StringPool();
        var expected = new Dictionary<long, int>();
        for (int batch = 0; batch < 30; batch++)
        {
            int n = rnd.Next(0, 5000);
            var keys = new long[n];
            var valid = new bool[n];
            for (int i = 0; i < n; i++)
            {
                // Keys beyond the direct map's reach at first (it grows with the entity count), dense ones, negatives, huge ones.
                keys[i] = rnd.Next(5) switch
                {
                    0 => rnd.Next(0, 400_000),
                    1 => rnd.Next(0, 2_000),
                    2 => -rnd.Next(1, 1000),
                    3 => long.MaxValue - rnd.Next(100),
                    _ => rnd.Next(60_000, 200_000),
                };
                valid[i] = rnd.Next(20) != 0;
            }
            var column = ValueVector.FromLongs(ValueKind.Int64, keys, ValueVector.Validity(valid), n);
            var ids = new int[n];
            index.Assign([column], strings, ids);
            for (int i = 0; i < n; i++)
            {
                // NUnit (a constraint and a message object) only for a difference: per row it was most of the test.
                if (!valid[i])
                {
                    if (ids[i] != -1) { Assert.That(ids[i], Is.EqualTo(-1)); }
                    continue;
                }
                if (!expected.TryGetValue(keys[i], out int id)) { expected[keys[i]] = id = expected.Count; }
                if (ids[i] != id) { Assert.That(ids[i], Is.EqualTo(id), $"batch {batch} row {i} key {keys[i]}"); }
            }
        }
        Assert.That(index.Count, Is.EqualTo(expected.Count));
        var all = new int[expected.Count];
        int k = 0;
        foreach (var (_, id) in expected) { all[k++] = id; }
        var back = index.KeyColumn(0, ValueKind.Int64, all, strings);
        k = 0;
        foreach (var (key, _) in expected) { Assert.That(back.Longs![k++], Is.EqualTo(key)); }
    }

    // A key column without validity (the common case, read without the per-row check): one large batch whose keys
    // walk up past the direct map's reach, so it grows several times inside the batch while dictionary keys wait to be
    // taken over, then keys seen in an earlier batch, a single repeated key, and a batch of nothing.
    [TestCase(4)]
    [TestCase(5)]
    public void Assign_KeysWithoutValidity_GrowingInsideOneBatch_GivesFirstSeenOrderIds(int seed)
    {
        var rnd = new Random(seed);
        var index = new EntityIndex();
        var strings = new StringPool();
        var expected = new Dictionary<long, int>();
        long[][] batches =
        [
            [.. Enumerable.Range(0, 60_000).Select(i => rnd.Next(3) == 0 ? (long)rnd.Next(0, 1 + (i * 8)) : rnd.Next(0, 300) * 997L)],
            [.. Enumerable.Range(0, 5_000).Select(_ => (long)rnd.Next(0, 3_000_000))],
            [.. Enumerable.Repeat(123_456_789L, 1_000)],
            [],
        ];
        foreach (var keys in batches)
        {
            var column = ValueVector.FromLongs(ValueKind.Int64, keys, null, keys.Length);
            Assert.That(column.Valid, Is.Null);
            var ids = new int[keys.Length];
            index.Assign([column], strings, ids);
            for (int i = 0; i < keys.Length; i++)
            {
                if (!expected.TryGetValue(keys[i], out int id)) { expected[keys[i]] = id = expected.Count; }
                if (ids[i] != id) { Assert.That(ids[i], Is.EqualTo(id), $"row {i} key {keys[i]}"); }
            }
        }
        Assert.That(index.Count, Is.EqualTo(expected.Count));
        var all = expected.Values.ToArray();
        var back = index.KeyColumn(0, ValueKind.Int64, all, strings);
        Same.Sequence(back.Longs!.Take(all.Length), expected.Keys);
    }
}
