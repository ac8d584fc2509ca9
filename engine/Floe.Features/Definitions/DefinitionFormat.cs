namespace Floe.Features.Definitions;

/// <summary>The text formats a feature group definition may be written in.</summary>
public enum DefinitionFormat
{
    /// <summary>JSON (RFC 8259).</summary>
    Json,
    /// <summary>The YAML subset described in engine/Floe.Features/docs/features.md (block mappings and sequences, flow collections, scalars).</summary>
    Yaml,
}
