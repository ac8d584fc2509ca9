using Floe.Features.Engine;

namespace Floe.Features.Tests.Engine;

/// <summary>Scratch outside the GC heap holds what is written to it and cannot be used once given back.</summary>
public sealed class NativeIntsTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(100_000)]
    public void Values_ReadBackThroughMemorySlices_UntilDisposed(int length)
    {
        var ids = new NativeInts(length);
        var memory = ids.Memory;
        for (int i = 0; i < length; i++) { memory.Span[i] = (i * 7) - 3; }
        if (length > 10)
        {
            Assert.That(memory.Slice(5, 3).ToArray(), Is.EqualTo(new[] { 32, 39, 46 }));
        }
        Assert.That(memory.Length, Is.EqualTo(length));
        ((IDisposable)ids).Dispose();
        Assert.Throws<ObjectDisposedException>(() => _ = ids.Memory.Span);
        ((IDisposable)ids).Dispose(); // twice is harmless
    }

    [Test]
    public void NegativeLength_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NativeInts(-1));
    }
}
