using System.Diagnostics;
using System.Globalization;
using Floe.Core.Expressions;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Expressions;

namespace Floe.Benchmarks.Features;

/// <summary>
/// Feature-expression evaluation over one batch of <c>--rows</c> rows (default 1,000,000): each expression is evaluated
/// <c>--repeat</c> times after a warm-up, and the best wall time and the process CPU time are printed per expression.
/// Inputs have ~10% nulls. Usage: <c>expressions [--rows N] [--repeat R]</c>.
/// </summary>
internal static class ExpressionBench
{
    private static readonly string[] Expressions =
    [
        "a + b",
        "a * 2 - b",
        "x / y",
        "a % 7",
        "-a",
        "x * 1.5 + a",
        "cast(a as double)",
        "cast(x as bigint)",
        "abs(a - 500)",
        "greatest(x, y, 0)",
        "coalesce(x, y, 0)",
        "case when a > 500 then x when a > 100 then y else 0 end",
        "if(x > y, x, y)",
        "(a + b) > 1000 and x < y",
        "s = 'k7'",
        "safe_div(x, y, 0)",
    ];

    public static int Run(string[] args)
    {
        int rows = 1_000_000, repeat = 7;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--rows") { rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); }
            else if (args[i] == "--repeat") { repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); }
        }
        var columns = Inputs(rows);
        ValueVector? Resolve(string name) => columns.GetValueOrDefault(name);
        Console.WriteLine($"expression evaluation, {rows:N0} rows, best of {repeat}");
        Console.WriteLine("| expression | best ms | CPU ms (all repeats) |");
        Console.WriteLine("|---|---:|---:|");
        double total = 0;
        foreach (var text in Expressions)
        {
            var expr = ExpressionParser.Parse(text);
            ExpressionEvaluator.Evaluate(expr, Resolve, rows);
            double best = double.MaxValue;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            for (int r = 0; r < repeat; r++)
            {
                var sw = Stopwatch.StartNew();
                ExpressionEvaluator.Evaluate(expr, Resolve, rows);
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
            total += best;
            Console.WriteLine(FormattableString.Invariant($"| `{text}` | {best:F2} | {cpu:F0} |"));
        }
        Console.WriteLine(FormattableString.Invariant($"| total | {total:F2} | |"));
        return 0;
    }

    private static Dictionary<string, ValueVector> Inputs(int n)
    {
        var random = new Random(42);
        var a = new long[n];
        var b = new long[n];
        var x = new double[n];
        var y = new double[n];
        var s = new string?[n];
        var validA = new bool[n];
        var validX = new bool[n];
        var validY = new bool[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = random.Next(1000);
            b[i] = random.Next(-50, 50);
            x[i] = random.NextDouble() * 100;
            y[i] = random.Next(10) == 0 ? 0.0 : random.NextDouble() * 100;
            s[i] = random.Next(10) == 0 ? null : "k" + random.Next(20).ToString(CultureInfo.InvariantCulture);
            validA[i] = random.Next(10) != 0;
            validX[i] = random.Next(10) != 0;
            validY[i] = random.Next(10) != 0;
            if (!validA[i]) { a[i] = 0; }
            if (!validX[i]) { x[i] = 0; }
            if (!validY[i]) { y[i] = 0; }
        }
        return new Dictionary<string, ValueVector>(StringComparer.Ordinal)
        {
            ["a"] = ValueVector.FromLongs(ValueKind.Int64, a, ValueVector.Validity(validA)),
            ["b"] = ValueVector.FromLongs(ValueKind.Int64, b, null),
            ["x"] = ValueVector.FromDoubles(x, ValueVector.Validity(validX)),
            ["y"] = ValueVector.FromDoubles(y, ValueVector.Validity(validY)),
            ["s"] = ValueVector.FromStrings(s),
        };
    }
}
