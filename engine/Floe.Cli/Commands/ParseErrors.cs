using System.CommandLine;
using System.CommandLine.Parsing;
using Floe.Core.Errors;

namespace Floe.Cli.Commands;

/// <summary>
/// Reports command-line errors (unknown command, missing or malformed option) the way every other error is reported:
/// one line naming the option and the bad value, plus where to find help, exit status 2, and JSON under <c>--json</c>.
/// System.CommandLine's own report (the error list, then the whole help text, exit 1, .NET type names) never reaches
/// the user.
/// </summary>
internal static class ParseErrors
{
    /// <summary>Reports the first of <paramref name="parse"/>'s errors and returns exit status 2.</summary>
    public static int Report(ParseResult parse)
    {
        // "Required command was not provided" is also reported when the command word itself was not recognised;
        // the unrecognised word is the error worth telling.
        var error = parse.Errors[0];
        foreach (var candidate in parse.Errors)
        {
            if (!IsMissingCommand(candidate))
            {
                error = candidate;
                break;
            }
        }

        string message = $"{Describe(error, parse.CommandResult)} (see '{CommandPath(parse.CommandResult)} --help')";
        return CommandRunner.Fail(CommandRunner.WantsJson(parse), FloeErrorCode.InvalidArgument, message);
    }

    /// <summary>One line saying what is wrong, in the option's and the user's own words.</summary>
    internal static string Describe(ParseError error, CommandResult command)
    {
        switch (error.SymbolResult)
        {
            case OptionResult option when BadValue(option.Tokens, option.Option.ValueType) is { } bad:
                return $"{option.Option.Name}: '{bad.Value}' is not {bad.Kind}";
            case ArgumentResult argument when BadValue(argument.Tokens, argument.Argument.ValueType) is { } bad:
                return $"{Name(argument)}: '{bad.Value}' is not {bad.Kind}";
            case OptionResult option when error.Message.Contains("is required", StringComparison.Ordinal):
                return $"{option.Option.Name} is required";
            case OptionResult option when error.Message.StartsWith("Required argument missing", StringComparison.Ordinal):
                return $"{option.Option.Name} needs a value";
        }

        // This error does not say which argument is missing; the command being parsed knows which got no value.
        if (error.Message.StartsWith("Required argument missing for command", StringComparison.Ordinal) && MissingArgument(command) is { } missing)
        {
            return $"missing {missing}";
        }

        if (UnknownToken(error.Message) is { } token)
        {
            return token.StartsWith('-') ? $"unknown option '{token}'" : $"unknown command or argument '{token}'";
        }

        if (IsMissingCommand(error))
        {
            return "a command is required";
        }

        if (error.SymbolResult is OptionResult { Tokens.Count: > 0 } choice && Choices(error.Message) is { } choices)
        {
            return $"{choice.Option.Name}: '{choice.Tokens[^1].Value}' is not one of {choices}";
        }

        string text = ErrorClassifier.OneLine(error.Message.Replace('\t', ' ')).TrimEnd('.');
        return error.SymbolResult is OptionResult named ? $"{named.Option.Name}: {text}" : text;
    }

    // A value the option's type cannot hold: the first token that does not parse, with the words for what it should be.
    private static (string Value, string Kind)? BadValue(IReadOnlyList<Token> tokens, Type valueType)
    {
        var type = Nullable.GetUnderlyingType(valueType) ?? valueType;
        if (type.IsArray) type = type.GetElementType()!;
        foreach (var token in tokens)
        {
            string value = token.Value;
            string? kind = type switch
            {
                _ when type == typeof(long) => long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) ? null : "an integer",
                _ when type == typeof(int) => int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) ? null : "an integer",
                _ when type == typeof(double) => double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) ? null : "a number",
                _ when type == typeof(bool) => bool.TryParse(value, out _) ? null : "true or false",
                _ => null,
            };
            if (kind is not null) return (value, kind);
        }

        return null;
    }

    // The first argument of the command that received no value, by its help name (NS.TABLE, FILE, ...).
    private static string? MissingArgument(CommandResult command)
    {
        foreach (var argument in command.Command.Arguments)
        {
            if (command.GetResult(argument) is not { Tokens.Count: > 0 }) return argument.Name;
        }

        return null;
    }

    private static bool IsMissingCommand(ParseError error) =>
        error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal);

    // "Argument 'x' not recognized. Must be one of:\n\t'a'\n\t'b'" lists the accepted values in quotes.
    private static string? Choices(string message)
    {
        int start = message.IndexOf("Must be one of", StringComparison.Ordinal);
        if (start < 0) return null;
        var values = new List<string>();
        var rest = message.AsSpan(start);
        while (rest.IndexOf('\'') is var open and >= 0)
        {
            rest = rest[(open + 1)..];
            int close = rest.IndexOf('\'');
            if (close < 0) break;
            values.Add(rest[..close].ToString());
            rest = rest[(close + 1)..];
        }

        return values.Count == 0 ? null : string.Join(", ", values);
    }

    private static string Name(ArgumentResult argument) =>
        argument.Parent is OptionResult option ? option.Option.Name : argument.Argument.Name;

    // "Unrecognized command or argument 'x'." carries the token between the first pair of quotes.
    private static string? UnknownToken(string message)
    {
        if (!message.StartsWith("Unrecognized", StringComparison.Ordinal)) return null;
        int open = message.IndexOf('\'');
        int close = open < 0 ? -1 : message.LastIndexOf('\'');
        return close > open ? message[(open + 1)..close] : null;
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult c) names.Add(c.Parent is null ? "floe" : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
