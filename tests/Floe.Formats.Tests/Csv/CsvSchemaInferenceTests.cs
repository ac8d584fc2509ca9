using System.Text;
using Floe.Core.Types;
using Floe.Formats.Csv;

namespace Floe.Formats.Tests.Csv;

[TestFixture]
public sealed class CsvSchemaInferenceTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-csv-infer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Infer_SamplesMoreThanOneReadChunk()
    {
        // The reader's chunks are 2 MiB; inference still samples 8 MiB, so a text value 4 MiB in makes the column a string.
        const string number = "12345678,1.5\n";
        var path = Path.Combine(_dir, "late-text.csv");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("code,amount\n");
            for (var written = 0L; written < 4L << 20; written += number.Length) writer.Write(number);
            writer.Write("A-17,2.5\n");
        }

        var schema = CsvSchemaInference.Infer(path);

        Assert.That(schema.Fields.Select(f => f.Type), Is.EqualTo(new[] { PrimitiveType.String, PrimitiveType.Double }));
    }
}
