using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Features.Output;
using Floe.Features.Sources;

namespace Floe.Features.Application;

/// <summary>
/// The application API behind <c>floe features validate</c> and <c>floe features compute</c>; the CLI and the C ABI
/// are thin faces over these calls.
/// </summary>
public static class FeatureCommands
{
    /// <summary>Parses and validates the definition at <paramref name="defPath"/>; problems are returned, not thrown.</summary>
    /// <exception cref="FloeException">NotFound when the file does not exist; Io when it cannot be read.</exception>
    public static ValidateResult Validate(string defPath)
    {
        ArgumentNullException.ThrowIfNull(defPath);
        string text;
        try
        {
            text = File.ReadAllText(defPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.NotFound($"{defPath}: feature group definition not found");
        }
        catch (IOException e)
        {
            throw Errors.Io(defPath, e);
        }
        var format = FeatureGroupParser.FormatOf(defPath);
        var errors = FeatureGroupParser.Validate(text, format);
        return errors.Count > 0
            ? new ValidateResult(false, errors, null)
            : new ValidateResult(true, [], FeatureGroupParser.Parse(text, format, defPath));
    }

    /// <summary>
    /// Computes the features of the definition at <paramref name="defPath"/> for events with time in
    /// [<paramref name="from"/>, <paramref name="to"/>), reading the lookback before <paramref name="from"/> too, and
    /// writes entity key(s), event time and every feature to <paramref name="outputPath"/> (.parquet or .csv), one
    /// day partition at a time.
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
        var def = FeatureGroupParser.ParseFile(defPath);
        var source = OpenDefinitionSource(def, defPath, sourceOverride, tableResolver);
        return Compute(def, source, from, to, outputPath, parallelism);
    }

    /// <summary>Computes <paramref name="definition"/> over <paramref name="source"/>; see the file-based overload.</summary>
    public static ComputeResult Compute(FeatureGroupDefinition definition, IEventSource source, DateTimeOffset from, DateTimeOffset to, string outputPath, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(source);
        using var sink = OpenSink(outputPath);
        return BatchComputation.Run(definition, source, from, to, sink, parallelism);
    }

    /// <summary>
    /// Computes <paramref name="definition"/> over <paramref name="source"/> into <paramref name="sink"/>: the same rows,
    /// days and values as the file outputs, delivered as Arrow batches (see <see cref="OutputSchema"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired; rows already given to the sink stay there.</exception>
    /// <exception cref="FloeException">InvalidArgument (range), InvalidData (definition or source).</exception>
    public static ComputeResult Compute(FeatureGroupDefinition definition, IEventSource source, DateTimeOffset from, DateTimeOffset to, IFeatureBatchSink sink,
        int parallelism = 0, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        using var adapter = new BatchSinkAdapter(sink);
        return BatchComputation.Run(definition, source, from, to, adapter, parallelism, cancellation);
    }

    /// <summary>
    /// The Iceberg schema of the rows <paramref name="definition"/> computes from events of <paramref name="sourceSchema"/>:
    /// entity key(s), event time, then each feature, with field ids 1..n in that order, every field optional,
    /// timestamps as timestamptz and list features as strings. Every output (Parquet, CSV, <see cref="IFeatureBatchSink"/>) has it.
    /// </summary>
    /// <exception cref="FloeException">InvalidData when the definition does not fit the source schema.</exception>
    public static Iceberg.Spec.Schema OutputSchema(FeatureGroupDefinition definition, Apache.Arrow.Schema sourceSchema)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sourceSchema);
        var group = FeatureGroup.Compile(definition, sourceSchema);
        var names = group.OutputSchema.FieldsList.Select(f => f.Name).ToArray();
        return FeatureArrow.IcebergSchema(names, BatchComputation.EmptyColumns(group));
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
        return OpenFiles(definition.Source.Files.Select(f => Path.IsPathRooted(f) ? f : Path.Combine(baseDir, f)).ToList());
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

    private static IFeatureSink OpenSink(string outputPath)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (dir is not null) { Directory.CreateDirectory(dir); }
        if (outputPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) { return new ParquetFeatureSink(outputPath); }
        if (outputPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) { return new CsvFeatureSink(outputPath); }
        throw Errors.InvalidArgument($"--output '{outputPath}': must end in .parquet or .csv");
    }
}
