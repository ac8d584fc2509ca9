using System.Numerics.Tensors;
using Floe.Features.Columns;
using Floe.Kernels.Arithmetic;
using Floe.Kernels.Bitmaps;
using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Features.Expressions;

/// <summary>
/// Evaluates an <see cref="Expr"/> a whole column at a time. Null semantics follow SQL: operators and functions give
/// null when an input is null (except <c>is null</c>, <c>coalesce</c>, <c>and</c>/<c>or</c> with three-valued logic);
/// <c>/</c> is safe division (a zero divisor gives null). Type errors throw <see cref="ExpressionException"/>; calling
/// with zero-length columns type-checks an expression without data.
/// </summary>
internal static class ExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="e"/> over <paramref name="length"/> rows, resolving names through <paramref name="resolve"/>.</summary>
    public static ColumnData Evaluate(Expr e, Func<string, ColumnData?> resolve, int length)
    {
        // Predicates the shared Arrow evaluator covers run there, the same code table filters run.
        if (SharedEvaluation.TryEvaluate(e, resolve, length) is { } shared)
        {
            return shared;
        }
        switch (e)
        {
            case LiteralExpr lit:
                return Constant(lit.Value, length);
            case ColumnExpr col:
                return resolve(col.Name) ?? throw new ExpressionException($"unknown column or feature '{col.Name}'");
            case UnaryExpr u:
                return Unary(u.Op, Evaluate(u.Operand, resolve, length));
            case BinaryExpr b:
                return Binary(b.Op, Evaluate(b.Left, resolve, length), Evaluate(b.Right, resolve, length));
            case IsNullExpr isn:
                {
                    var v = Evaluate(isn.Operand, resolve, length);
                    // "is not null" is the validity bitmap itself; "is null" its complement.
                    var valid = v.Valid ?? Bitmap.AllSet(length);
                    var r = new ulong[valid.Length];
                    if (isn.Negated) { valid.AsSpan().CopyTo(r); } else { Bitmap.Not(valid, r, length); }
                    return ColumnData.FromBits(r, null, length);
                }
            case InExpr inList:
                {
                    // SQL semantics: x in (a, b) is x = a or x = b under three-valued logic; not in negates that.
                    var operand = Evaluate(inList.Operand, resolve, length);
                    ColumnData? any = null;
                    foreach (var value in inList.Values)
                    {
                        var equal = Binary("=", operand, Evaluate(value, resolve, length));
                        any = any is null ? equal : Binary("or", any, equal);
                    }
                    return inList.Negated ? Unary("not", any!) : any!;
                }
            case CastExpr cast:
                return Cast(Evaluate(cast.Operand, resolve, length), cast.Target, cast.Operand is LiteralExpr { Value: null });
            case CaseExpr ce:
                return Case(ce, resolve, length);
            case CallExpr call:
                return Call(call, resolve, length);
            default:
                throw new ExpressionException("unsupported expression");
        }
    }

    private static ColumnData Constant(object? value, int length)
    {
        switch (value)
        {
            case null:
                return ColumnData.FromLongs(ValueKind.Int64, new long[length], new ulong[Bitmap.WordCount(length)]);
            case long l:
                {
                    var a = new long[length];
                    a.AsSpan().Fill(l);
                    return ColumnData.FromLongs(ValueKind.Int64, a, null);
                }
            case double d:
                {
                    var a = new double[length];
                    a.AsSpan().Fill(d);
                    return ColumnData.FromDoubles(a, null);
                }
            case bool b:
                {
                    return ColumnData.FromBits(b ? Bitmap.AllSet(length) : new ulong[Bitmap.WordCount(length)], null, length);
                }
            case string s:
                {
                    var a = new string?[length];
                    a.AsSpan().Fill(s);
                    return ColumnData.FromStrings(a);
                }
            default:
                throw new ExpressionException("unsupported literal");
        }
    }

    private static ulong[]? AndValid(ColumnData a, ColumnData b)
    {
        if (a.Valid is null)
        {
            return b.Valid is null ? null : (ulong[])b.Valid.Clone();
        }
        if (b.Valid is null)
        {
            return (ulong[])a.Valid.Clone();
        }
        int words = Bitmap.WordCount(a.Length);
        var r = new ulong[words];
        Bitmap.And(a.Valid.AsSpan(0, words), b.Valid.AsSpan(0, words), r);
        return r;
    }

    private static void SetInvalid(ulong[] valid, int row) => valid[row >> 6] &= ~(1UL << (row & 63));

    // Booleans as numbers (for comparisons and casts): 0/1 longs.
    private static long[] BoolFlags(ColumnData c)
    {
        var r = new long[c.Length];
        for (int i = 0; i < r.Length; i++) { r[i] = c.GetBool(i) ? 1 : 0; }
        return r;
    }

    private static double[] AsDoubles(ColumnData c)
    {
        if (c.Doubles is not null)
        {
            return c.Doubles;
        }
        var r = new double[c.Length];
        var src = c.Longs!;
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = src[i];
        }
        return r;
    }

    private static bool IsIntegral(ValueKind k) => k is ValueKind.Int64 or ValueKind.Timestamp;

    private static string KindName(ValueKind k) => k.ToString().ToLowerInvariant();

    private static ColumnData Unary(string op, ColumnData v)
    {
        int n = v.Length;
        if (op == "not")
        {
            RequireBool(v, "not");
            var r = new ulong[Bitmap.WordCount(n)];
            Bitmap.Not(v.Bits!, r, n);
            return ColumnData.FromBits(r, v.Valid, n);
        }
        if (v.Kind == ValueKind.Float64)
        {
            var r = new double[n];
            TensorPrimitives.Negate(v.Doubles!, r);
            return ColumnData.FromDoubles(r, v.Valid);
        }
        if (v.Kind == ValueKind.Int64)
        {
            var r = new long[n];
            var src = v.Longs!;
            for (int i = 0; i < n; i++)
            {
                r[i] = unchecked(-src[i]);
            }
            return ColumnData.FromLongs(ValueKind.Int64, r, v.Valid);
        }
        throw new ExpressionException($"cannot negate a {KindName(v.Kind)}");
    }

    private static void RequireBool(ColumnData v, string op)
    {
        if (v.Kind != ValueKind.Bool)
        {
            throw new ExpressionException($"'{op}' needs boolean operands, got {KindName(v.Kind)}");
        }
    }

    private static ColumnData Binary(string op, ColumnData a, ColumnData b)
    {
        int n = a.Length;
        switch (op)
        {
            case "and":
            case "or":
                return Logical(op == "and", a, b);
            case "=":
            case "!=":
            case "<":
            case "<=":
            case ">":
            case ">=":
                return Compare(op, a, b);
        }
        bool aNum = a.IsNumeric || a.Kind == ValueKind.Timestamp;
        bool bNum = b.IsNumeric || b.Kind == ValueKind.Timestamp;
        if (!aNum || !bNum)
        {
            throw new ExpressionException($"'{op}' needs numeric operands, got {KindName(a.Kind)} and {KindName(b.Kind)}");
        }
        var valid = AndValid(a, b);
        if (op == "/")
        {
            var r = new double[n];
            valid ??= Bitmap.AllSet(n);
            SafeDivide.Divide(AsDoubles(a), AsDoubles(b), r, valid);
            return ColumnData.FromDoubles(r, valid);
        }
        if (IsIntegral(a.Kind) && IsIntegral(b.Kind))
        {
            var x = a.Longs!;
            var y = b.Longs!;
            var r = new long[n];
            var xs = x.AsSpan(0, n);
            var ys = y.AsSpan(0, n);
            switch (op)
            {
                case "+": BinaryDriver.Invoke<long, AddOperator<long>>(xs, ys, r); break;
                case "-": BinaryDriver.Invoke<long, SubtractOperator<long>>(xs, ys, r); break;
                case "*": BinaryDriver.Invoke<long, MultiplyOperator<long>>(xs, ys, r); break;
                case "%":
                    valid ??= Bitmap.AllSet(n);
                    for (int i = 0; i < n; i++)
                    {
                        if (y[i] == 0 || (y[i] == -1 && x[i] == long.MinValue)) { SetInvalid(valid, i); }
                        else { r[i] = x[i] % y[i]; }
                    }
                    break;
                default: throw new ExpressionException($"unknown operator '{op}'");
            }
            return ColumnData.FromLongs(ValueKind.Int64, r, valid);
        }
        var dx = AsDoubles(a);
        var dy = AsDoubles(b);
        var d = new double[n];
        switch (op)
        {
            case "+": TensorPrimitives.Add(dx, dy, d); break;
            case "-": TensorPrimitives.Subtract(dx, dy, d); break;
            case "*": TensorPrimitives.Multiply(dx, dy, d); break;
            case "%":
                valid ??= Bitmap.AllSet(n);
                for (int i = 0; i < n; i++)
                {
                    if (dy[i] == 0.0) { SetInvalid(valid, i); }
                    else { d[i] = dx[i] % dy[i]; }
                }
                break;
            default: throw new ExpressionException($"unknown operator '{op}'");
        }
        return ColumnData.FromDoubles(d, valid);
    }

    // Kleene logic word by word: 64 rows per step, validity and values as two bitmaps.
    private static ColumnData Logical(bool isAnd, ColumnData a, ColumnData b)
    {
        RequireBool(a, isAnd ? "and" : "or");
        RequireBool(b, isAnd ? "and" : "or");
        int n = a.Length;
        int words = Bitmap.WordCount(n);
        var values = new ulong[words];
        var valid = new ulong[words];
        ReadOnlySpan<ulong> va = a.Valid is null ? [] : a.Valid.AsSpan(0, words);
        ReadOnlySpan<ulong> vb = b.Valid is null ? [] : b.Valid.AsSpan(0, words);
        if (isAnd) { Kleene.And(a.Bits, va, b.Bits, vb, values, valid, n); }
        else { Kleene.Or(a.Bits, va, b.Bits, vb, values, valid, n); }
        bool allValid = a.Valid is null && b.Valid is null;
        return ColumnData.FromBits(values, allValid ? null : valid, n);
    }

    private static ColumnData Compare(string op, ColumnData a, ColumnData b)
    {
        int n = a.Length;
        var r = new long[n];
        var valid = AndValid(a, b);
        bool aNum = a.IsNumeric || a.Kind == ValueKind.Timestamp;
        bool bNum = b.IsNumeric || b.Kind == ValueKind.Timestamp;
        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            // Ordinal order as a sign per row, then the operator's one kernel over the signs against zero.
            var signs = new long[n];
            for (int i = 0; i < n; i++)
            {
                signs[i] = Math.Sign(string.CompareOrdinal(a.Strings![i], b.Strings![i]));
            }
            CompareSigns(op, signs, r);
        }
        else if (aNum && bNum && (a.Longs is null || b.Longs is null))
        {
            CompareFlags(op, AsDoubles(a).AsSpan(0, n), AsDoubles(b).AsSpan(0, n), r);
        }
        else if (aNum && bNum)
        {
            CompareFlags(op, a.Longs.AsSpan(0, n), b.Longs.AsSpan(0, n), r);
        }
        else if (a.Kind == ValueKind.Bool && b.Kind == ValueKind.Bool)
        {
            CompareFlags(op, BoolFlags(a).AsSpan(), BoolFlags(b).AsSpan(), r);
        }
        else
        {
            throw new ExpressionException($"cannot compare {KindName(a.Kind)} with {KindName(b.Kind)}");
        }
        var bits = new ulong[Bitmap.WordCount(n)];
        Bitmap.FromFlags(r, bits);
        return ColumnData.FromBits(bits, valid, n);
    }

    // Signs of a three-way comparison against zero: the same kernels, with a constant right side.
    private static void CompareSigns(string op, ReadOnlySpan<long> signs, Span<long> flags)
    {
        switch (op)
        {
            case "=": ComparisonDriver.ToFlags<long, EqualOperator<long>>(signs, 0L, flags); break;
            case "!=": ComparisonDriver.ToFlags<long, NotEqualOperator<long>>(signs, 0L, flags); break;
            case "<": ComparisonDriver.ToFlags<long, LessThanOperator<long>>(signs, 0L, flags); break;
            case "<=": ComparisonDriver.ToFlags<long, LessThanOrEqualOperator<long>>(signs, 0L, flags); break;
            case ">": ComparisonDriver.ToFlags<long, GreaterThanOperator<long>>(signs, 0L, flags); break;
            default: ComparisonDriver.ToFlags<long, GreaterThanOrEqualOperator<long>>(signs, 0L, flags); break;
        }
    }

    // One kernel call per column: the operator is chosen once, and the comparison runs as SIMD lane masks.
    // IEEE for doubles: NaN compares unequal to everything, so only != is true.
    private static void CompareFlags<T>(string op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<long> flags)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        switch (op)
        {
            case "=": ComparisonDriver.ToFlags<T, EqualOperator<T>>(x, y, flags); break;
            case "!=": ComparisonDriver.ToFlags<T, NotEqualOperator<T>>(x, y, flags); break;
            case "<": ComparisonDriver.ToFlags<T, LessThanOperator<T>>(x, y, flags); break;
            case "<=": ComparisonDriver.ToFlags<T, LessThanOrEqualOperator<T>>(x, y, flags); break;
            case ">": ComparisonDriver.ToFlags<T, GreaterThanOperator<T>>(x, y, flags); break;
            default: ComparisonDriver.ToFlags<T, GreaterThanOrEqualOperator<T>>(x, y, flags); break;
        }
    }

    private static ColumnData Cast(ColumnData v, ValueKind target, bool isNullLiteral)
    {
        int n = v.Length;
        if (isNullLiteral)
        {
            return AllNull(target, n);
        }
        if (v.Kind == target || (target == ValueKind.Int64 && v.Kind == ValueKind.Timestamp))
        {
            return v.Kind == target ? v : ColumnData.FromLongs(target, v.Longs!, v.Valid);
        }
        if (v.Kind == ValueKind.Bool)
        {
            // Booleans cast to numbers as 0/1.
            if (target == ValueKind.Float64) { return ColumnData.FromDoubles(AsDoubles(ColumnData.FromLongs(ValueKind.Int64, BoolFlags(v), null)), v.Valid); }
            if (target is ValueKind.Int64 or ValueKind.Timestamp) { return ColumnData.FromLongs(target, BoolFlags(v), v.Valid); }
        }
        switch (target)
        {
            case ValueKind.Float64 when v.Longs is not null:
                return ColumnData.FromDoubles(AsDoubles(v), v.Valid);
            case ValueKind.Float64 when v.Kind == ValueKind.String:
                {
                    var r = new double[n];
                    var valid = new bool[n];
                    for (int i = 0; i < n; i++)
                    {
                        valid[i] = v.IsValid(i) && double.TryParse(v.Strings![i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out r[i]);
                    }
                    return ColumnData.FromDoubles(r, ColumnData.Validity(valid));
                }
            case ValueKind.Int64 or ValueKind.Timestamp when v.Kind == ValueKind.Float64:
                {
                    // Truncates toward zero; NaN and out-of-range values become null.
                    var r = new long[n];
                    var valid = new bool[n];
                    var src = v.Doubles!;
                    for (int i = 0; i < n; i++)
                    {
                        double d = Math.Truncate(src[i]);
                        valid[i] = v.IsValid(i) && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18;
                        r[i] = valid[i] ? (long)d : 0;
                    }
                    return ColumnData.FromLongs(target, r, ColumnData.Validity(valid));
                }
            case ValueKind.Int64 or ValueKind.Timestamp when v.Longs is not null:
                return ColumnData.FromLongs(target, v.Longs, v.Valid);
            case ValueKind.Int64 when v.Kind == ValueKind.String:
                {
                    var r = new long[n];
                    var valid = new bool[n];
                    for (int i = 0; i < n; i++)
                    {
                        valid[i] = v.IsValid(i) && long.TryParse(v.Strings![i], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out r[i]);
                    }
                    return ColumnData.FromLongs(ValueKind.Int64, r, ColumnData.Validity(valid));
                }
            case ValueKind.Bool when v.IsNumeric:
                {
                    var r = new bool[n];
                    for (int i = 0; i < n; i++)
                    {
                        r[i] = v.GetDouble(i) != 0.0;
                    }
                    return ColumnData.FromBools(r, v.Valid);
                }
            case ValueKind.String:
                {
                    var r = new string?[n];
                    for (int i = 0; i < n; i++)
                    {
                        if (!v.IsValid(i)) { continue; }
                        r[i] = v.Kind switch
                        {
                            ValueKind.Float64 => v.Doubles![i].ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                            ValueKind.Bool => v.GetBool(i) ? "true" : "false",
                            _ => v.Longs![i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                        };
                    }
                    return ColumnData.FromStrings(r);
                }
        }
        throw new ExpressionException($"cannot cast {KindName(v.Kind)} to {KindName(target)}");
    }

    private static ColumnData AllNull(ValueKind kind, int n) => kind switch
    {
        ValueKind.Float64 => ColumnData.FromDoubles(new double[n], new ulong[Bitmap.WordCount(n)]),
        ValueKind.String => ColumnData.FromStrings(new string?[n]),
        ValueKind.Bool => ColumnData.FromBits(new ulong[Bitmap.WordCount(n)], new ulong[Bitmap.WordCount(n)], n),
        _ => ColumnData.FromLongs(kind, new long[n], new ulong[Bitmap.WordCount(n)]),
    };

    /// <summary>Brings branch values to one kind: numeric kinds widen to double; null literals take the common kind.</summary>
    private static ColumnData[] Unify(IReadOnlyList<Expr> exprs, ColumnData[] values, string what)
    {
        ValueKind? kind = null;
        for (int i = 0; i < values.Length; i++)
        {
            if (exprs[i] is LiteralExpr { Value: null })
            {
                continue;
            }
            var k = values[i].Kind;
            if (kind is null) { kind = k; }
            else if (kind != k)
            {
                bool bothNumeric = kind is ValueKind.Int64 or ValueKind.Float64 && k is ValueKind.Int64 or ValueKind.Float64;
                if (!bothNumeric)
                {
                    throw new ExpressionException($"{what}: cannot mix {KindName(kind.Value)} and {KindName(k)}");
                }
                kind = ValueKind.Float64;
            }
        }
        var target = kind ?? ValueKind.Int64;
        var result = new ColumnData[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = exprs[i] is LiteralExpr { Value: null } ? AllNull(target, values[i].Length) : Cast(values[i], target, false);
        }
        return result;
    }

    private static ColumnData Case(CaseExpr ce, Func<string, ColumnData?> resolve, int n)
    {
        var exprs = new List<Expr>();
        foreach (var (_, then) in ce.Branches) { exprs.Add(then); }
        var elseExpr = ce.Else ?? new LiteralExpr(null);
        exprs.Add(elseExpr);
        var values = new ColumnData[exprs.Count];
        for (int i = 0; i < exprs.Count; i++)
        {
            values[i] = Evaluate(exprs[i], resolve, n);
        }
        values = Unify(exprs, values, "case");
        var conditions = new ColumnData[ce.Branches.Count];
        for (int i = 0; i < conditions.Length; i++)
        {
            conditions[i] = Evaluate(ce.Branches[i].When, resolve, n);
            RequireBool(conditions[i], "when");
        }
        var pick = new int[n];
        for (int row = 0; row < n; row++)
        {
            int chosen = conditions.Length;
            for (int c = 0; c < conditions.Length; c++)
            {
                if (conditions[c].IsValid(row) && conditions[c].GetBool(row))
                {
                    chosen = c;
                    break;
                }
            }
            pick[row] = chosen;
        }
        return Select(values, pick);
    }

    /// <summary>Builds a column taking row i from <c>values[pick[i]]</c> (all of one kind).</summary>
    private static ColumnData Select(ColumnData[] values, int[] pick)
    {
        int n = pick.Length;
        var kind = values[0].Kind;
        var flags = new bool[n];
        for (int i = 0; i < n; i++)
        {
            flags[i] = values[pick[i]].IsValid(i);
        }
        var valid = ColumnData.Validity(flags);
        if (kind == ValueKind.Float64)
        {
            var r = new double[n];
            for (int i = 0; i < n; i++) { r[i] = values[pick[i]].Doubles![i]; }
            return ColumnData.FromDoubles(r, valid);
        }
        if (kind == ValueKind.String)
        {
            var r = new string?[n];
            for (int i = 0; i < n; i++) { r[i] = flags[i] ? values[pick[i]].Strings![i] : null; }
            return ColumnData.FromStrings(r);
        }
        if (kind == ValueKind.Bool)
        {
            var b = new bool[n];
            for (int i = 0; i < n; i++) { b[i] = values[pick[i]].GetBool(i); }
            return ColumnData.FromBools(b, valid);
        }
        var l = new long[n];
        for (int i = 0; i < n; i++) { l[i] = values[pick[i]].Longs![i]; }
        return ColumnData.FromLongs(kind, l, valid);
    }

    private static ColumnData Call(CallExpr call, Func<string, ColumnData?> resolve, int n)
    {
        var args = new ColumnData[call.Args.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Evaluate(call.Args[i], resolve, n);
        }
        switch (call.Name)
        {
            case "coalesce":
                {
                    var unified = Unify(call.Args, args, "coalesce");
                    var pick = new int[n];
                    for (int row = 0; row < n; row++)
                    {
                        int c = 0;
                        while (c < unified.Length - 1 && !unified[c].IsValid(row)) { c++; }
                        pick[row] = c;
                    }
                    return Select(unified, pick);
                }
            case "if":
            case "iif":
                {
                    RequireBool(args[0], call.Name);
                    var branches = new[] { call.Args[1], call.Args[2] };
                    var unified = Unify(branches, [args[1], args[2]], call.Name);
                    var pick = new int[n];
                    for (int row = 0; row < n; row++)
                    {
                        pick[row] = args[0].IsValid(row) && args[0].GetBool(row) ? 0 : 1;
                    }
                    return Select(unified, pick);
                }
            case "safe_div":
                {
                    var q = Binary("/", args[0], args[1]);
                    if (args.Length == 2)
                    {
                        return q;
                    }
                    // safe_div(a, b, fallback): the fallback where the quotient is null.
                    var unified = Unify([call.Args[0], call.Args[2]], [q, args[2]], "safe_div");
                    var pick = new int[n];
                    for (int row = 0; row < n; row++) { pick[row] = unified[0].IsValid(row) ? 0 : 1; }
                    return Select(unified, pick);
                }
            case "least":
            case "greatest":
                {
                    var unified = Unify(call.Args, args, call.Name);
                    if (!unified[0].IsNumeric)
                    {
                        throw new ExpressionException($"'{call.Name}' needs numeric arguments");
                    }
                    bool greatest = call.Name == "greatest";
                    var pick = new int[n];
                    for (int row = 0; row < n; row++)
                    {
                        int best = -1;
                        for (int c = 0; c < unified.Length; c++)
                        {
                            if (!unified[c].IsValid(row)) { continue; }
                            if (best < 0) { best = c; continue; }
                            double x = unified[c].GetDouble(row), y = unified[best].GetDouble(row);
                            if (greatest ? x > y : x < y) { best = c; }
                        }
                        pick[row] = best < 0 ? 0 : best;
                    }
                    return Select(unified, pick);
                }
            case "abs":
                if (args[0].Kind == ValueKind.Int64)
                {
                    var r = new long[n];
                    for (int i = 0; i < n; i++) { r[i] = Math.Abs(args[0].Longs![i] == long.MinValue ? 0 : args[0].Longs![i]); }
                    return ColumnData.FromLongs(ValueKind.Int64, r, args[0].Valid);
                }
                return MathUnary(call.Name, args[0]);
            case "is_nan":
                {
                    RequireNumeric(call.Name, args[0]);
                    var r = new bool[n];
                    for (int i = 0; i < n; i++) { r[i] = double.IsNaN(args[0].GetDouble(i)); }
                    return ColumnData.FromBools(r, args[0].Valid);
                }
            case "pow":
            case "power":
                {
                    RequireNumeric(call.Name, args[0]);
                    RequireNumeric(call.Name, args[1]);
                    var r = new double[n];
                    for (int i = 0; i < n; i++) { r[i] = Math.Pow(args[0].GetDouble(i), args[1].GetDouble(i)); }
                    return ColumnData.FromDoubles(r, AndValid(args[0], args[1]));
                }
            default:
                return MathUnary(call.Name, args[0]);
        }
    }

    private static void RequireNumeric(string fn, ColumnData v)
    {
        if (!v.IsNumeric)
        {
            throw new ExpressionException($"'{fn}' needs a numeric argument, got {KindName(v.Kind)}");
        }
    }

    // The function is chosen once per column, never per row; the exactly rounded ones run as TensorPrimitives kernels.
    private static ColumnData MathUnary(string fn, ColumnData v)
    {
        RequireNumeric(fn, v);
        int n = v.Length;
        ReadOnlySpan<double> x = AsDoubles(v).AsSpan(0, n);
        var r = new double[n];
        switch (fn)
        {
            case "abs": TensorPrimitives.Abs(x, r); break;
            case "sqrt": TensorPrimitives.Sqrt(x, r); break;
            // Math's transcendental functions, not the vectorised approximations, so values stay what they were.
            case "ln": for (int i = 0; i < n; i++) { r[i] = Math.Log(x[i]); } break;
            case "log10": for (int i = 0; i < n; i++) { r[i] = Math.Log10(x[i]); } break;
            case "exp": for (int i = 0; i < n; i++) { r[i] = Math.Exp(x[i]); } break;
            case "floor": TensorPrimitives.Floor(x, r); break;
            case "ceil": TensorPrimitives.Ceiling(x, r); break;
            default: TensorPrimitives.Round(x, MidpointRounding.ToEven, r); break;
        }
        return ColumnData.FromDoubles(r, v.Valid);
    }
}
