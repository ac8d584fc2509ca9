using Floe.Core.Errors;
using Floe.Features.Definitions;

namespace Floe.Application.Features;

/// <summary>
/// Reads feature group definition files for the faces: the feature engine itself takes text, so every file read
/// (and its errors: missing file, unreadable file) happens here, once.
/// </summary>
public static class DefinitionFiles
{
    /// <summary>The text of the definition file at <paramref name="path"/>.</summary>
    /// <exception cref="FloeException">NotFound when it does not exist; Io when it cannot be read.</exception>
    public static string ReadText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.NotFound($"{path}: feature group definition not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Io(path, e);
        }
    }

    /// <summary>Reads and parses the definition file at <paramref name="path"/> (format from its extension: .yaml/.yml or JSON).</summary>
    /// <exception cref="FloeException">NotFound, Io, or InvalidData (message starts with the path).</exception>
    public static FeatureGroupDefinition Parse(string path) =>
        FeatureGroupParser.Parse(ReadText(path), FeatureGroupParser.FormatOf(path), path);

    /// <summary>The canonical SHA-256 of the definition file at <paramref name="path"/> (<see cref="DefinitionHash.Sha256"/>).</summary>
    /// <exception cref="FloeException">NotFound, Io, InvalidData.</exception>
    public static string Sha256(string path) => DefinitionHash.Sha256(ReadText(path), FeatureGroupParser.FormatOf(path));
}
