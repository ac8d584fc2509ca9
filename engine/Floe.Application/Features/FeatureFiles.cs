using Floe.Core.Errors;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Sources;
using Floe.Formats.Events;
using Floe.Formats.Features;

namespace Floe.Application.Features;

/// <summary>
/// Feature computation over files: definition files, event files (.csv, .parquet) and output files. The engine
/// (<see cref="FeatureComputation"/>) sees only Arrow sources and sinks; this is where paths become them.
/// </summary>
public static class FeatureFiles
{
    /// <summary>Parses and validates the definition at <paramref name="defPath"/>; problems are returned, not thrown.</summary>
    /// <exception cref="FloeException">NotFound when the file does not exist; Io when it cannot be read.</exception>
    public static ValidateResult Validate(string defPath) =>
        FeatureComputation.Validate(DefinitionFiles.ReadText(defPath), FeatureGroupParser.FormatOf(defPath), defPath);

    /// <summary>
    /// Computes the features of the definition at <paramref name="defPath"/> for events with time in
    /// [<paramref name="from"/>, <paramref name="to"/>), reading the lookback before <paramref name="from"/> too, and
    /// writes entity key(s), event time and every feature to <paramref name="outputPath"/> (.parquet or .csv).
    /// </summary>
    /// <param name="defPath">The definition file (.json, .yaml or .yml).</param>
    /// <param name="from">First event time output (inclusive).</param>
    /// <param name="to">End of the output range (exclusive).</param>
    /// <param name="sourceOverride">A .csv/.parquet file, or a <c>namespace.table</c>, replacing the definition's source; null keeps it.</param>
    /// <param name="outputPath">The output file; its extension picks the format.</param>
    /// <param name="tableResolver">Opens Iceberg tables by identifier; required only for table sources.</param>
    /// <param name="parallelism">Worker threads; 0 uses every core.</param>
    /// <exception cref="FloeException">InvalidData (definition or source), NotFound (files), Unsupported (table source without a resolver), Io.</exception>
    public static ComputeResult Compute(
        string defPath,
        DateTimeOffset from,
        DateTimeOffset to,
        string? sourceOverride,
        string outputPath,
        Func<string, IEventSource>? tableResolver = null,
        int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(defPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        var def = DefinitionFiles.Parse(defPath);
        var source = OpenDefinitionSource(def, defPath, sourceOverride, tableResolver);
        return Compute(def, source, from, to, outputPath, parallelism);
    }

    /// <summary>Computes <paramref name="definition"/> over <paramref name="source"/> into <paramref name="outputPath"/>; see the file-based overload.</summary>
    public static ComputeResult Compute(FeatureGroupDefinition definition, IEventSource source, DateTimeOffset from, DateTimeOffset to, string outputPath, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(outputPath);
        // The schema first: a definition that does not fit the source fails before an output file exists.
        var schema = FeatureComputation.OutputSchema(definition, source.Schema);
        // The output opens while the source is read (an earlier file of the same name takes a while to truncate).
        using var sink = FeatureFileSink.Open(outputPath, schema);
        var result = FeatureComputation.Compute(definition, source, from, to, sink, parallelism);
        sink.Complete();
        return result with { Files = [outputPath] };
    }

    /// <summary>
    /// Opens the events <paramref name="definition"/> (read from <paramref name="defPath"/>) computes from:
    /// <paramref name="sourceOverride"/> when given (relative to the working folder), else the definition's own
    /// source (files relative to the definition's folder, or a table through <paramref name="tableResolver"/>).
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument when there is no source; NotFound; Unsupported (table without a resolver).</exception>
    public static IEventSource OpenDefinitionSource(FeatureGroupDefinition definition, string defPath, string? sourceOverride, Func<string, IEventSource>? tableResolver)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(defPath);
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(defPath)) ?? ".";
        if (sourceOverride is not null)
        {
            return OpenSource(sourceOverride, Environment.CurrentDirectory, tableResolver);
        }
        if (definition.Source is null)
        {
            throw Errors.InvalidArgument($"{defPath}: the definition has no source; pass one (--source FILE|NS.TABLE)");
        }
        if (definition.Source.Table is { } table)
        {
            return OpenSource(table, baseDir, tableResolver);
        }
        var files = new List<string>(definition.Source.Files.Count);
        foreach (var f in definition.Source.Files) { files.Add(Path.IsPathRooted(f) ? f : Path.Combine(baseDir, f)); }
        return OpenFiles(files);
    }

    /// <summary>Opens a source spec: a .csv or .parquet path (relative to <paramref name="baseDir"/>), else a table identifier.</summary>
    public static IEventSource OpenSource(string spec, string baseDir, Func<string, IEventSource>? tableResolver)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (FeatureGroupParser.IsSupportedFile(spec))
        {
            return OpenFiles([Path.IsPathRooted(spec) ? spec : Path.Combine(baseDir, spec)]);
        }
        if (tableResolver is null)
        {
            throw Errors.Unsupported($"source '{spec}': Iceberg table sources need a table resolver from the host (or pass a .csv/.parquet file)");
        }
        return tableResolver(spec);
    }

    private static IEventSource OpenFiles(IReadOnlyList<string> files)
    {
        bool allCsv = files.All(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));
        bool allParquet = files.All(f => f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase));
        if (allCsv) { return CsvEventSource.Load(files); }
        if (allParquet) { return new ParquetFileSource(files); }
        throw Errors.InvalidArgument("source files must be all .csv or all .parquet");
    }
}
