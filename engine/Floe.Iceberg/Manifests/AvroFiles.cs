using Floe.Avro;
using Floe.Core.Errors;
using Floe.Core.Io;

namespace Floe.Iceberg.Manifests;

/// <summary>Opens Avro container files (manifests, manifest lists) through the table's <see cref="IFileIO"/>.</summary>
internal static class AvroFiles
{
    /// <summary>Reads the whole file at <paramref name="location"/> and parses its header.</summary>
    /// <exception cref="FloeException">Io when the file cannot be opened or read; InvalidData when it is not an Avro container.</exception>
    public static AvroContainerReader Open(IFileIO io, string location)
    {
        Stream stream;
        try
        {
            stream = io.OpenRead(location);
        }
        catch (IOException e)
        {
            throw Errors.Io(location, e);
        }
        using (stream)
        {
            return AvroContainerReader.Open(stream, location);
        }
    }
}
