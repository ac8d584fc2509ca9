using Floe.Features.Definitions;

namespace Floe.Features.Computation;

/// <summary>The outcome of validating a definition file.</summary>
/// <param name="IsValid">True when the definition has no problems.</param>
/// <param name="Errors">Every problem, each naming the path of the bad field (e.g. <c>features[3].window: '7x' is not a duration</c>).</param>
/// <param name="Definition">The parsed definition when valid.</param>
public sealed record ValidateResult(bool IsValid, IReadOnlyList<string> Errors, FeatureGroupDefinition? Definition);
