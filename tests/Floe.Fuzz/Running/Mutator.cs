using System.Text;

namespace Floe.Fuzz.Running;

/// <summary>
/// Seeded byte-level mutations in the style of libFuzzer's: bit flips, random and "interesting" bytes and integers,
/// inserted and erased ranges, copied ranges, dictionary tokens and splices from another corpus entry, stacked 1–5 deep.
/// </summary>
internal sealed class Mutator
{
    private static readonly int[] Interesting = { 0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, int.MaxValue, int.MinValue, 16, 64, 100, 1000 };

    private readonly Random _random;
    private readonly byte[][] _dictionary;

    public Mutator(Random random, string[] dictionary)
    {
        _random = random;
        _dictionary = dictionary.Select(Encoding.Latin1.GetBytes).Where(d => d.Length > 0).ToArray();
    }

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var edits = 1 + _random.Next(5);
        for (var e = 0; e < edits; e++) MutateOnce(data, corpus);
        if (data.Count > 1 << 20) data.RemoveRange(1 << 20, data.Count - (1 << 20));
        return data.ToArray();
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        var at = data.Count == 0 ? 0 : _random.Next(data.Count);
        switch (_random.Next(10))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = (byte)_random.Next(256);
                break;
            case 2:
                data.InsertRange(at, Enumerable.Range(0, 1 + _random.Next(8)).Select(_ => (byte)_random.Next(256)));
                break;
            case 3 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(Math.Max(1, data.Count / 8))));
                break;
            case 4 when data.Count > 1:
                {
                    // Copy a range elsewhere (repeats structure: nested brackets, duplicated blocks).
                    var from = _random.Next(data.Count);
                    var length = Math.Min(data.Count - from, 1 + _random.Next(64));
                    data.InsertRange(at, data.GetRange(from, length));
                    break;
                }
            case 5 when data.Count >= 4:
                {
                    var value = Interesting[_random.Next(Interesting.Length)];
                    var width = _random.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
                    var pos = _random.Next(data.Count - width + 1);
                    for (var i = 0; i < width; i++) data[pos + i] = (byte)(value >> (8 * i));
                    break;
                }
            case 6 or 7 when _dictionary.Length > 0:
                data.InsertRange(at, _dictionary[_random.Next(_dictionary.Length)]);
                break;
            case 8 when corpus.Count > 0:
                {
                    var other = corpus[_random.Next(corpus.Count)];
                    if (other.Length == 0) break;
                    var from = _random.Next(other.Length);
                    var length = Math.Min(other.Length - from, 1 + _random.Next(256));
                    data.InsertRange(at, other.AsSpan(from, length).ToArray());
                    break;
                }
            default:
                if (data.Count > 0) data.RemoveRange(at, data.Count - at); // truncation
                break;
        }
    }
}
