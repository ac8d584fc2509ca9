using System.CommandLine;
using Floe.Application.Scanning;
using Floe.Formats.Output;
using Floe.Core.Json;

namespace Floe.Cli.Commands;

/// <summary><c>floe scan NS.TABLE</c>: read rows with projection, filter and time travel.</summary>
internal static class ScanCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var snapshot = new Option<long?>("--snapshot") { Description = "Read this snapshot id" };
        var reference = new Option<string?>("--ref") { Description = "Read the head of this branch or tag" };
        var asOf = new Option<string?>("--as-of") { Description = "Read what main showed at this time, e.g. \"2023-06-01 12:00:00\" (UTC unless an offset is given)" };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated columns to output (a.b selects child b of struct a)" };
        var filter = new Option<string?>("--filter") { Description = "Row filter, e.g. \"amount > 10 and event_time >= '2024-01-03T00:00:00Z'\" (=, !=, <, <=, >, >=, between, in, is null, is not null, and, or, not)" };
        var format = new Option<string>("--format") { Description = "csv (default), json (one object per line) or parquet", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json", "parquet");
        var output = new Option<string?>("--output") { Description = "Write to this file instead of stdout (required for parquet)" };
        var count = new Option<bool>("--count") { Description = "Print only the number of rows" };
        var aggregates = new Option<string?>("--agg") { Description = "Print ungrouped aggregates instead of rows, e.g. \"count(*),sum(amount),min(event_time)\" (count(*), count(col), sum, min, max, avg; answered from statistics when they prove it)" };
        var threads = new Option<int?>("--threads") { Description = "Threads that decode files and row groups at once (default: the processor count)" };
        var command = new Command("scan", "Read a table") { name, snapshot, reference, asOf, columns, filter, format, output, count, aggregates, threads };
        CommandRunner.SetAction(command, parse =>
        {
            var request = new ScanRequest
            {
                SnapshotId = parse.GetValue(snapshot),
                Ref = parse.GetValue(reference),
                AsOf = parse.GetValue(asOf),
                Columns = parse.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Filter = parse.GetValue(filter),
                Threads = parse.GetValue(threads),
            };
            var service = new ScanService(GlobalOptions.OpenWarehouse(parse));
            var table = parse.GetValue(name)!;
            if (parse.GetValue(aggregates) is { } list)
            {
                if (parse.GetValue(count) || request.Columns is not null || parse.GetValue(output) is not null)
                {
                    throw Floe.Core.Errors.Errors.InvalidArgument("--agg cannot be combined with --count, --columns or --output");
                }
                var aggregated = service.Aggregate(table, request, AggregateList.Parse(list));
                if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(aggregated.WriteJson);
                else aggregated.WriteText(Console.Out);
                return 0;
            }
            if (parse.GetValue(count))
            {
                var counted = service.Count(table, request);
                if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(counted.WriteJson);
                else Console.WriteLine(counted.Rows);
                return 0;
            }
            using var sink = OpenSink(parse.GetValue(format)!, parse.GetValue(output));
            var result = service.Scan(table, request, sink);
            if (parse.GetValue(output) is not null && parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(result.WriteJson);
            return 0;
        });
        return command;
    }

    private static IBatchSink OpenSink(string format, string? output)
    {
        switch (format)
        {
            case "json":
                // The sink writes a row, then its newline: buffered, or each is a write(2) to stdout.
                return output is null
                    ? new JsonLinesSink(new BufferedStream(Console.OpenStandardOutput(), 1 << 16), ownsStream: true)
                    : new JsonLinesSink(File.Create(output), ownsStream: true);
            case "parquet":
                if (output is null) throw Floe.Core.Errors.Errors.InvalidArgument("--format parquet needs --output FILE");
                return new ParquetSink(output);
            default:
                // Console.Out flushes every write: two write(2) calls a row (the line, then its newline), 0.6 s of
                // system time for 200,000 rows. The same bytes (Console's encoding has no preamble), in 64 KiB writes.
                return output is null
                    ? new CsvSink(new StreamWriter(Console.OpenStandardOutput(), Console.OutputEncoding, 1 << 16), ownsWriter: true)
                    : new CsvSink(new StreamWriter(output), ownsWriter: true);
        }
    }
}
