using Floe.Core.Errors;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Definitions;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>
/// A feature group compiled against its source schema: the distinct aggregated inputs (slots), the distinct windows,
/// which aggregators each (slot, window) pair maintains, and the expression features in evaluation order. Features
/// that share a slot and window share one pass and one set of aggregators.
/// </summary>
internal sealed class FeaturePlan
{
    private FeaturePlan(
        FeatureGroupDefinition definition,
        IReadOnlyDictionary<string, ValueKind> sourceKinds,
        Expr? filter,
        SlotSpec[] slots,
        long[] windows,
        SlotNeeds[] needs,
        AggSpec[] aggs,
        int[] maxLastN,
        (int FeatureIndex, Expr Expr, ValueKind Kind)[] expressions)
    {
        Definition = definition;
        SourceKinds = sourceKinds;
        Filter = filter;
        Slots = slots;
        Windows = windows;
        Needs = needs;
        Aggs = aggs;
        MaxLastN = maxLastN;
        Expressions = expressions;
    }

    public FeatureGroupDefinition Definition { get; }

    public IReadOnlyDictionary<string, ValueKind> SourceKinds { get; }

    public Expr? Filter { get; }

    public SlotSpec[] Slots { get; }

    /// <summary>Distinct window lengths in microseconds, ascending; <see cref="long.MaxValue"/> is unbounded.</summary>
    public long[] Windows { get; }

    /// <summary>Indexed <c>slot * Windows.Length + window</c>.</summary>
    public SlotNeeds[] Needs { get; }

    public AggSpec[] Aggs { get; }

    /// <summary>Per slot, the largest <c>n</c> of its <c>last_n</c> features (0 when none).</summary>
    public int[] MaxLastN { get; }

    /// <summary>Expression features in an order where each comes after the features it references.</summary>
    public (int FeatureIndex, Expr Expr, ValueKind Kind)[] Expressions { get; }

    /// <summary>The kind of every feature's output column, by feature index.</summary>
    public ValueKind[] FeatureKinds { get; private set; } = [];

    /// <summary>Compiles <paramref name="def"/> for a source whose columns have <paramref name="sourceKinds"/>.</summary>
    /// <exception cref="FloeException">InvalidData naming the feature path when a column is missing or has the wrong type.</exception>
    public static FeaturePlan Compile(FeatureGroupDefinition def, IReadOnlyDictionary<string, ValueKind> sourceKinds)
    {
        string group = $"feature group '{def.Name}'";
        foreach (var e in def.Entity)
        {
            if (!sourceKinds.TryGetValue(e, out var k))
            {
                throw Errors.InvalidData($"{group}: entity: column '{e}' is not in the source (columns: {string.Join(", ", sourceKinds.Keys)})");
            }
            if (k == ValueKind.Float64)
            {
                throw Errors.InvalidData($"{group}: entity: column '{e}' is a double; entity keys must be integers, strings, booleans or timestamps");
            }
        }
        if (def.Entity.Count > EntityIndex.MaxKeyColumns)
        {
            throw Errors.Unsupported($"{group}: entity: at most {EntityIndex.MaxKeyColumns} key columns are supported");
        }
        if (!sourceKinds.TryGetValue(def.Timestamp, out var tk))
        {
            throw Errors.InvalidData($"{group}: timestamp: column '{def.Timestamp}' is not in the source");
        }
        if (tk is not (ValueKind.Timestamp or ValueKind.Int64))
        {
            throw Errors.InvalidData($"{group}: timestamp: column '{def.Timestamp}' is a {tk.ToString().ToLowerInvariant()}, not a timestamp");
        }

        ValueVector? ResolveSource(string name) =>
            sourceKinds.TryGetValue(name, out var kind) ? ValueVector.Empty(kind) : null;

        Expr? filter = null;
        if (def.Filter is not null)
        {
            filter = ParseAt(def.Filter, $"{group}: filter");
            var fk = TypeOf(filter, ResolveSource, $"{group}: filter");
            if (fk != ValueKind.Bool)
            {
                throw Errors.InvalidData($"{group}: filter: '{def.Filter}' is a {fk.ToString().ToLowerInvariant()}, not a boolean");
            }
        }

        var slots = new List<SlotSpec>();
        var slotByText = new Dictionary<string, int>(StringComparer.Ordinal);
        var windowSet = new SortedSet<long>();
        foreach (var f in def.Features)
        {
            if (f.IsAggregation)
            {
                windowSet.Add(f.Window.Micros);
            }
        }
        long[] windows = [.. windowSet];
        var aggs = new List<AggSpec>();
        var featureKinds = new ValueKind[def.Features.Count];
        var needsBySlotWindow = new Dictionary<(int, int), SlotNeeds>();
        var maxLastN = new List<int>();
        for (int i = 0; i < def.Features.Count; i++)
        {
            var f = def.Features[i];
            if (!f.IsAggregation)
            {
                continue;
            }
            string path = $"{group}: features[{i}]";
            var kind = f.Aggregation!.Value;
            int slot = -1;
            ValueKind slotKind = ValueKind.Int64;
            if (f.Column is not null)
            {
                if (!slotByText.TryGetValue(f.Column, out slot))
                {
                    var expr = ParseAt(f.Column, path + ".column");
                    slotKind = TypeOf(expr, ResolveSource, path + ".column");
                    slot = slots.Count;
                    slots.Add(new SlotSpec(slot, f.Column, expr, slotKind));
                    slotByText[f.Column] = slot;
                    maxLastN.Add(0);
                }
                slotKind = slots[slot].Kind;
            }
            int window = Array.IndexOf(windows, f.Window.Micros);
            ValueKind outKind = OutputKind(kind, slotKind, slot, path, f.Column);
            featureKinds[i] = outKind;
            if (slot >= 0)
            {
                var needs = SlotNeeds.Tracked | kind switch
                {
                    AggregationKind.Sum or AggregationKind.Mean => SlotNeeds.Sum,
                    AggregationKind.Variance or AggregationKind.Stddev => SlotNeeds.Sum | SlotNeeds.SumOfSquares,
                    AggregationKind.Min => SlotNeeds.Min,
                    AggregationKind.Max => SlotNeeds.Max,
                    AggregationKind.CountDistinct => SlotNeeds.Distinct,
                    _ => SlotNeeds.None,
                };
                needsBySlotWindow[(slot, window)] = needsBySlotWindow.GetValueOrDefault((slot, window)) | needs;
                if (kind == AggregationKind.LastN)
                {
                    maxLastN[slot] = Math.Max(maxLastN[slot], f.N);
                }
            }
            aggs.Add(new AggSpec(i, aggs.Count, f.Name, kind, slot, window, f.N, outKind, kind == AggregationKind.LastN));
        }
        var needsArr = new SlotNeeds[slots.Count * windows.Length];
        foreach (var ((s, w), n) in needsBySlotWindow)
        {
            needsArr[s * windows.Length + w] = n;
        }

        // Expression features: type-check in dependency order, resolving names to features first, then source columns.
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < def.Features.Count; i++) { byName[def.Features[i].Name] = i; }
        var exprs = new List<(int, Expr, ValueKind)>();
        var parsed = new Expr?[def.Features.Count];
        var done = new bool[def.Features.Count];
        for (int i = 0; i < def.Features.Count; i++)
        {
            done[i] = def.Features[i].IsAggregation;
        }

        void Resolve(int i)
        {
            if (done[i])
            {
                return;
            }
            string path = $"{group}: features[{i}].expr";
            var expr = parsed[i] ??= ParseAt(def.Features[i].Expression!, path);
            var refs = new HashSet<string>(StringComparer.Ordinal);
            ExpressionParser.CollectColumns(expr, refs);
            done[i] = true; // cycles were rejected by the parser's validation
            foreach (var r in refs)
            {
                if (byName.TryGetValue(r, out int j)) { Resolve(j); }
            }
            var kind = TypeOf(expr, name =>
                byName.TryGetValue(name, out int j) ? ValueVector.Empty(featureKinds[j]) : ResolveSource(name), path);
            featureKinds[i] = kind;
            exprs.Add((i, expr, kind));
        }

        for (int i = 0; i < def.Features.Count; i++) { Resolve(i); }
        foreach (var a in aggs)
        {
            if (a.IsList && exprs.Count > 0)
            {
                // A list feature cannot be referenced by an expression; reject early with a clear path.
                foreach (var (fi, e, _) in exprs)
                {
                    var refs = new HashSet<string>(StringComparer.Ordinal);
                    ExpressionParser.CollectColumns(e, refs);
                    if (refs.Contains(a.Name))
                    {
                        throw Errors.InvalidData($"{group}: features[{fi}].expr: '{a.Name}' is a list (last_n) and cannot be used in an expression");
                    }
                }
            }
        }
        return new FeaturePlan(def, sourceKinds, filter, [.. slots], windows, needsArr, [.. aggs], [.. maxLastN], [.. exprs])
        {
            FeatureKinds = featureKinds,
        };
    }

    private static ValueKind OutputKind(AggregationKind kind, ValueKind slotKind, int slot, string path, string? column)
    {
        bool numeric = slotKind is ValueKind.Int64 or ValueKind.Float64 or ValueKind.Bool;
        string Bad(string what) => $"{path}.agg: '{AggregationNames.Name(kind)}' needs {what}, but '{column}' is a {slotKind.ToString().ToLowerInvariant()}";
        switch (kind)
        {
            case AggregationKind.Count:
            case AggregationKind.CountDistinct:
                return ValueKind.Int64;
            case AggregationKind.Sum:
                if (!numeric) { throw Errors.InvalidData(Bad("a numeric column")); }
                return slotKind == ValueKind.Float64 ? ValueKind.Float64 : ValueKind.Int64;
            case AggregationKind.Mean:
            case AggregationKind.Variance:
            case AggregationKind.Stddev:
                if (!numeric) { throw Errors.InvalidData(Bad("a numeric column")); }
                return ValueKind.Float64;
            case AggregationKind.Min:
            case AggregationKind.Max:
                if (slotKind is ValueKind.String or ValueKind.Bool) { throw Errors.InvalidData(Bad("a numeric or timestamp column")); }
                return slotKind;
            default:
                _ = slot;
                return slotKind;
        }
    }

    private static Expr ParseAt(string text, string path)
    {
        try
        {
            return ExpressionParser.Parse(text);
        }
        catch (ExpressionException e)
        {
            throw Errors.InvalidData($"{path}: '{text}' is not a valid expression: {e.Message}");
        }
    }

    private static ValueKind TypeOf(Expr e, Func<string, ValueVector?> resolve, string path)
    {
        try
        {
            return ExpressionEvaluator.Evaluate(e, resolve, 0).Kind;
        }
        catch (ExpressionException ex)
        {
            throw Errors.InvalidData($"{path}: {ex.Message}");
        }
    }
}
