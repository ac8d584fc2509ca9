using System.Text.Json;
using Floe.Core.Errors;

namespace Floe.Core.Tests.Errors;

[TestFixture]
public sealed class ErrorClassifierTests
{
    private static IEnumerable<TestCaseData> Classifications()
    {
        yield return new TestCaseData(new FloeException(FloeErrorCode.CommitConflict, "x"), FloeErrorCode.CommitConflict).SetName("Floe_KeepsItsCode");
        yield return new TestCaseData(new FloeException(FloeErrorCode.ValidationFailed, "x"), FloeErrorCode.ValidationFailed).SetName("Floe_Validation");
        yield return new TestCaseData(new ArgumentException("p"), FloeErrorCode.InvalidArgument).SetName("Argument");
        yield return new TestCaseData(new ArgumentNullException("p"), FloeErrorCode.InvalidArgument).SetName("ArgumentNull");
        yield return new TestCaseData(new ArgumentOutOfRangeException("p"), FloeErrorCode.InvalidArgument).SetName("ArgumentOutOfRange");
        yield return new TestCaseData(new ObjectDisposedException("w"), FloeErrorCode.InvalidHandle).SetName("ObjectDisposed");
        yield return new TestCaseData(new FileNotFoundException("f"), FloeErrorCode.NotFound).SetName("FileNotFound");
        yield return new TestCaseData(new DirectoryNotFoundException("d"), FloeErrorCode.NotFound).SetName("DirectoryNotFound");
        yield return new TestCaseData(new EndOfStreamException(), FloeErrorCode.InvalidData).SetName("EndOfStream");
        yield return new TestCaseData(new InvalidDataException(), FloeErrorCode.InvalidData).SetName("InvalidData");
        yield return new TestCaseData(new FormatException(), FloeErrorCode.InvalidData).SetName("Format");
        yield return new TestCaseData(new JsonException("bad"), FloeErrorCode.InvalidData).SetName("Json");
        yield return new TestCaseData(new IOException(), FloeErrorCode.Io).SetName("IO");
        yield return new TestCaseData(new UnauthorizedAccessException(), FloeErrorCode.Io).SetName("UnauthorizedAccess");
        yield return new TestCaseData(new NotSupportedException(), FloeErrorCode.Unsupported).SetName("NotSupported");
        yield return new TestCaseData(new NotImplementedException(), FloeErrorCode.Unsupported).SetName("NotImplemented");
        yield return new TestCaseData(new NullReferenceException(), FloeErrorCode.Internal).SetName("NullReference_IsInternal");
        yield return new TestCaseData(new InvalidOperationException(), FloeErrorCode.Internal).SetName("InvalidOperation_IsInternal");
        yield return new TestCaseData(new IndexOutOfRangeException(), FloeErrorCode.Internal).SetName("IndexOutOfRange_IsInternal");
    }

    [TestCaseSource(nameof(Classifications))]
    public void Classify_Exception_GivesItsCode(Exception exception, FloeErrorCode expected)
    {
        Assert.That(ErrorClassifier.Classify(exception), Is.EqualTo(expected));
    }

    [Test]
    public void Classify_RealJsonParseFailure_IsInvalidData()
    {
        var thrown = Assert.Catch(() => JsonDocument.Parse("{\"a\": ")) ?? throw new AssertionException("no exception");

        Assert.That(ErrorClassifier.Classify(thrown), Is.EqualTo(FloeErrorCode.InvalidData));
    }

    [Test]
    public void Classify_RealMissingFile_IsNotFound()
    {
        var missing = Path.Combine(Path.GetTempPath(), "floe-missing-" + Guid.NewGuid().ToString("N"), "x.csv");
        var thrown = Assert.Catch(() => File.ReadAllBytes(missing)) ?? throw new AssertionException("no exception");

        Assert.That(ErrorClassifier.Classify(thrown), Is.EqualTo(FloeErrorCode.NotFound));
    }

    [Test]
    public void ExitCode_EveryCode_IsItsMagnitudeAndTheReadmeTable()
    {
        // The README's table of exit codes; 9 (invalid handle) only occurs across the C ABI.
        var expected = new Dictionary<FloeErrorCode, int>
        {
            [FloeErrorCode.Internal] = 1,
            [FloeErrorCode.InvalidArgument] = 2,
            [FloeErrorCode.NotFound] = 3,
            [FloeErrorCode.AlreadyExists] = 4,
            [FloeErrorCode.InvalidData] = 5,
            [FloeErrorCode.CommitConflict] = 6,
            [FloeErrorCode.Io] = 7,
            [FloeErrorCode.Unsupported] = 8,
            [FloeErrorCode.InvalidHandle] = 9,
            [FloeErrorCode.ValidationFailed] = 10,
            [FloeErrorCode.Cancelled] = 11,
        };
        Assert.That(expected, Has.Count.EqualTo(Enum.GetValues<FloeErrorCode>().Length), "a new code needs an exit status");
        foreach (var (code, status) in expected)
        {
            Assert.That(ErrorClassifier.ExitCode(code), Is.EqualTo(status), code.ToString());
        }

        Assert.That(ErrorClassifier.ExitCode((FloeErrorCode)(-42)), Is.EqualTo(1));
    }

    [Test]
    public void CategoryName_EveryCode_IsDistinctAndKnown()
    {
        var names = Enum.GetValues<FloeErrorCode>().Select(ErrorClassifier.CategoryName).ToList();

        Assert.That(names, Is.Unique);
        Assert.That(names, Has.None.EqualTo("unknown"));
        Assert.That(ErrorClassifier.CategoryName(FloeErrorCode.NotFound), Is.EqualTo("not_found"));
        Assert.That(ErrorClassifier.CategoryName((FloeErrorCode)(-42)), Is.EqualTo("unknown"));
    }

    [Test]
    public void Message_MultiLineText_IsOneLineWithoutTypeName()
    {
        var message = ErrorClassifier.Message(new InvalidOperationException("first line\r\n  second line\n"));

        Assert.That(message, Is.EqualTo("first line second line"));
    }

    [TestCase("one line", "one line")]
    [TestCase("a\nb", "a b")]
    [TestCase("Must be one of:\n\t'csv'\r\n\t'json'", "Must be one of: 'csv' 'json'")]
    [TestCase("", "")]
    public void OneLine_Text_JoinsLinesWithOneSpace(string text, string expected)
    {
        Assert.That(ErrorClassifier.OneLine(text), Is.EqualTo(expected));
    }
}
