using Floe.Features.Computation;
using Floe.Features.Sources;
using Floe.Iceberg.Catalog;

namespace Floe.Application.Features;

/// <summary>Feature computation for the faces: definitions whose source is a table read it through the warehouse.</summary>
public sealed class FeatureService
{
    private readonly Func<Warehouse> _openWarehouse;
    private Warehouse? _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public FeatureService(Warehouse warehouse)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        _warehouse = warehouse;
        _openWarehouse = () => warehouse;
    }

    /// <summary>
    /// Creates the service over a warehouse opened only when a definition reads a table, so computing from files
    /// needs no warehouse at all.
    /// </summary>
    public FeatureService(Func<Warehouse> openWarehouse)
    {
        ArgumentNullException.ThrowIfNull(openWarehouse);
        _openWarehouse = openWarehouse;
    }

    /// <summary>Validates a definition file.</summary>
    public static ValidateResult Validate(string definitionPath) => FeatureFiles.Validate(definitionPath);

    /// <summary>
    /// Computes the features of <paramref name="definitionPath"/> for events in [<paramref name="from"/>, <paramref name="to"/>)
    /// into <paramref name="outputPath"/> (.parquet or .csv). <paramref name="sourceOverride"/> replaces the definition's
    /// source: a .csv/.parquet file or a table name.
    /// </summary>
    public ComputeResult Compute(string definitionPath, DateTimeOffset from, DateTimeOffset to, string? sourceOverride, string outputPath) =>
        FeatureFiles.Compute(definitionPath, from, to, sourceOverride, outputPath, OpenTable);

    /// <summary>
    /// Computes the definition at <paramref name="definitionPath"/> over events a host holds in memory (all batches of
    /// <paramref name="source"/>) for event times in [<paramref name="from"/>, <paramref name="to"/>), into memory.
    /// The definition's own source is ignored. A definition that does not fit the events fails before any work.
    /// </summary>
    public static (BatchFeatureOutput Output, ComputeResult Result) ComputeBatches(string definitionPath, BatchEventSource source, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(source);
        var definition = DefinitionFiles.Parse(definitionPath);
        var output = new BatchFeatureOutput(FeatureComputation.OutputSchema(definition, source.Schema));
        var result = FeatureComputation.Compute(definition, source, from, to, output);
        return (output, result);
    }

    /// <summary>An event source over a table of this warehouse.</summary>
    public IEventSource OpenTable(string tableName) => new IcebergEventSource((_warehouse ??= _openWarehouse()).LoadTable(TableIdentifier.Parse(tableName)));
}
