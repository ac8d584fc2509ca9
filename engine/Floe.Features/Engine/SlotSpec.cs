using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>An aggregated input: a column or row expression evaluated per event; shared by every feature using it.</summary>
internal sealed record SlotSpec(int Index, string Text, Expr Expr, ValueKind Kind);
