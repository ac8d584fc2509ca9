using Floe.Core.Errors;

namespace Floe.Native.Tests;

[TestFixture]
public sealed class NativeJsonTests
{
    [Test]
    public void ParseStringMap_Null_ReturnsEmpty()
    {
        Assert.That(NativeJson.ParseStringMap(null, "opts->properties_json"), Is.Empty);
    }

    [Test]
    public void ParseStringMap_ObjectOfStrings_ReturnsEntries()
    {
        var map = NativeJson.ParseStringMap("{\"a\":\"1\",\"floe.code-version\":\"abc\"}", "p");
        Assert.That(map, Has.Count.EqualTo(2));
        Assert.That(map["floe.code-version"], Is.EqualTo("abc"));
    }

    [TestCase("[1]")]
    [TestCase("{\"a\":1}")]
    [TestCase("{not json")]
    public void ParseStringMap_NotAnObjectOfStrings_ThrowsInvalidArgumentNamingField(string text)
    {
        var e = Assert.Throws<FloeException>(() => NativeJson.ParseStringMap(text, "opts->properties_json"));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain("opts->properties_json"));
    }
}
