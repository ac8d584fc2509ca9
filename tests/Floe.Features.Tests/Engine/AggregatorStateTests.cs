using System.Runtime.CompilerServices;
using Floe.Features.Engine;

namespace Floe.Features.Tests.Engine;

/// <summary>
/// An entity's state is kept per entity and window for the whole run (300k states for the 7-day bench's 100k
/// entities and three windows), so what only one window at a time needs (where its deques stand while a chunk
/// runs) is the worker's, not the state's.
/// </summary>
public sealed class AggregatorStateTests
{
    [Test]
    public void State_HoldsNoPerChunkCursors() =>
        Assert.That(Unsafe.SizeOf<AggregatorState>(), Is.LessThanOrEqualTo(80));
}
