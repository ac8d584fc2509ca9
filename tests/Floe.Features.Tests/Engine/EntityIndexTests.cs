using Floe.Core.Expressions.Evaluation;
using Floe.Features.Engine;
using Floe.Features.Expressions;

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
                if (!valid[i])
                {
                    Assert.That(ids[i], Is.EqualTo(-1));
                    continue;
                }
                if (!expected.TryGetValue(keys[i], out int id)) { expected[keys[i]] = id = expected.Count; }
                Assert.That(ids[i], Is.EqualTo(id), $"batch {batch} row {i} key {keys[i]}");
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
}
