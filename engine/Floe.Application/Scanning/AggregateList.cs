using Floe.Core.Errors;
using Floe.Iceberg.Scan;

namespace Floe.Application.Scanning;

/// <summary>
/// The aggregate list every face takes: comma-separated calls <c>count(*)</c>, <c>count(col)</c>, <c>sum(col)</c>,
/// <c>min(col)</c>, <c>max(col)</c>, <c>avg(col)</c> (function names in any case, blanks around names allowed), e.g.
/// <c>"count(*), sum(amount), max(event_time)"</c>.
/// </summary>
public static class AggregateList
{
    /// <summary>Parses <paramref name="text"/> into calls, in order.</summary>
    /// <exception cref="FloeException">InvalidArgument naming the item that is not such a call.</exception>
    public static IReadOnlyList<AggregateCall> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var calls = new List<AggregateCall>();
        foreach (var raw in text.Split(','))
        {
            var item = raw.Trim();
            var open = item.IndexOf('(', StringComparison.Ordinal);
            if (item.Length == 0 || open <= 0 || item[^1] != ')')
            {
                throw Errors.InvalidArgument($"aggregate '{item}': expected count(*), count(col), sum(col), min(col), max(col) or avg(col)");
            }
            var name = item[..open].Trim().ToLowerInvariant();
            var argument = item[(open + 1)..^1].Trim();
            var function = name switch
            {
                "count" => AggregateFunction.Count,
                "sum" => AggregateFunction.Sum,
                "min" => AggregateFunction.Min,
                "max" => AggregateFunction.Max,
                "avg" => AggregateFunction.Avg,
                _ => throw Errors.InvalidArgument($"aggregate '{item}': unknown function {name} (count, sum, min, max, avg)"),
            };
            if (argument.Length == 0 || argument.Contains('(', StringComparison.Ordinal)) throw Errors.InvalidArgument($"aggregate '{item}': expected a column name or *");
            if (argument == "*" && function != AggregateFunction.Count) throw Errors.InvalidArgument($"aggregate '{item}': only count takes *");
            calls.Add(new AggregateCall(function, argument == "*" ? null : argument));
        }
        return calls;
    }
}
