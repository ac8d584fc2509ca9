using System.Globalization;
using Apache.Arrow;
using Floe.Core.Expressions.Evaluation;
using Floe.Core.Types;
using Floe.Features.Expressions;
using Floe.Iceberg.Spec;

namespace Floe.Features.Tests.Expressions;

/// <summary>
/// Table filters and feature filters are one language: the same text, parsed once by ExpressionSyntax, selects the
/// same rows whether it is bound to Iceberg predicates (a scan's row filter) or evaluated over columns by the
/// feature engine, for random filters over random rows with nulls.
/// </summary>
public sealed class OneLanguageTests
{
    private static readonly Floe.Core.Types.Schema TableSchema = new(0,
    [
        new NestedField(1, "x", false, PrimitiveType.Long),
        new NestedField(2, "amount", false, PrimitiveType.Double),
    ]);

    [Test]
    public void RandomFilters_SelectTheSameRows_InScansAndInTheFeatureEngine()
    {
        var random = new Random(41);
        const int rows = 300;
        var xs = new long[rows];
        var amounts = new double[rows];
        var xValid = new bool[rows];
        var amountValid = new bool[rows];
        for (int i = 0; i < rows; i++)
        {
            xs[i] = random.Next(-5, 6);
            amounts[i] = random.Next(-20, 21) / 4.0;
            xValid[i] = random.Next(6) > 0;
            amountValid[i] = random.Next(6) > 0;
        }
        var batch = Batch(xs, xValid, amounts, amountValid);
        var columns = new Dictionary<string, ValueVector>
        {
            ["x"] = ValueVector.FromLongs(ValueKind.Int64, xs, ValueVector.Validity(xValid)),
            ["amount"] = ValueVector.FromDoubles(amounts, ValueVector.Validity(amountValid)),
        };
        for (int trial = 0; trial < 400; trial++)
        {
            var text = Filter(random, 3);
            var scanSelection = new bool[rows];
            new Iceberg.Expressions.RowFilter(Iceberg.Expressions.ExpressionParser.Parse(text, TableSchema)).Evaluate(batch, scanSelection);
            var result = ExpressionEvaluator.Evaluate(ExpressionParser.Parse(text), name => columns.GetValueOrDefault(name), rows);
            for (int i = 0; i < rows; i++)
            {
                bool engine = result.IsValid(i) && result.GetBool(i);
                // NUnit (a constraint and a message object) only for a difference: per row it was most of the test.
                if (engine != scanSelection[i]) { Assert.That(engine, Is.EqualTo(scanSelection[i]), $"'{text}' at row {i} (x={(xValid[i] ? xs[i] : null)}, amount={(amountValid[i] ? amounts[i] : null)})"); }
            }
        }
    }

    private static string Filter(Random random, int depth)
    {
        if (depth == 0 || random.Next(3) == 0) { return Predicate(random); }
        return random.Next(5) switch
        {
            0 => $"not ({Filter(random, depth - 1)})",
            1 or 2 => $"({Filter(random, depth - 1)}) and ({Filter(random, depth - 1)})",
            _ => $"({Filter(random, depth - 1)}) or ({Filter(random, depth - 1)})",
        };
    }

    private static string Predicate(Random random)
    {
        bool onX = random.Next(2) == 0;
        string column = onX ? "x" : "amount";
        string Literal() => onX
            ? random.Next(-6, 7).ToString(CultureInfo.InvariantCulture)
            : (random.Next(-24, 25) / 4.0).ToString("R", CultureInfo.InvariantCulture);
        string[] ops = ["=", "!=", "<>", "<", "<=", ">", ">=", "=="];
        return random.Next(7) switch
        {
            0 => $"{column} is null",
            1 => $"{column} is not null",
            2 => $"{column} in ({Literal()}, {Literal()}, {Literal()})",
            3 => $"{column} not in ({Literal()}, {Literal()})",
            4 => $"{column} {(random.Next(2) == 0 ? "" : "not ")}between {Literal()} and {Literal()}",
            5 => $"{Literal()} {ops[random.Next(ops.Length)]} {column}",
            _ => $"{column} {ops[random.Next(ops.Length)]} {Literal()}",
        };
    }

    private static RecordBatch Batch(long[] xs, bool[] xValid, double[] amounts, bool[] amountValid)
    {
        var x = new Int64Array.Builder();
        var a = new DoubleArray.Builder();
        for (int i = 0; i < xs.Length; i++)
        {
            if (xValid[i]) { x.Append(xs[i]); } else { x.AppendNull(); }
            if (amountValid[i]) { a.Append(amounts[i]); } else { a.AppendNull(); }
        }
        var schema = new Apache.Arrow.Schema.Builder()
            .Field(f => f.Name("x").DataType(Apache.Arrow.Types.Int64Type.Default))
            .Field(f => f.Name("amount").DataType(Apache.Arrow.Types.DoubleType.Default)).Build();
        return new RecordBatch(schema, [x.Build(), a.Build()], xs.Length);
    }
}
