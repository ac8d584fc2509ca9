namespace Floe.Features.Engine;

/// <summary>Up to four entity key parts, each encoded as a long (integers as is, strings as pool ids).</summary>
internal readonly record struct KeyTuple(long A, long B, long C, long D);
