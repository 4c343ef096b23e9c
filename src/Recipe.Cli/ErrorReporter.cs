using Recipe.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli;

/// <summary>Turns an exception into one clear line and an exit code; the stack trace only with --verbose.</summary>
public static class ErrorReporter
{
    public const int BadInput = 2;
    public const int Crash = 3;

    public static int Report(Exception e, bool verbose)
    {
        var inner = Unwrap(e);
        var (message, code) = inner switch
        {
            DataException data => ($"error: {data.Message}", BadInput),
            CommandParseException or CommandRuntimeException => ($"error: {inner.Message} (see recipe --help)", BadInput),
            UsageException usage => ($"error: {usage.Message}", BadInput),
            UnauthorizedAccessException or IOException => ($"error: {inner.Message}", BadInput),
            _ => ($"internal error: {inner.GetType().Name}: {inner.Message} (run with --verbose for details)", Crash),
        };
        Console.Error.WriteLine(message);
        if (verbose) Console.Error.WriteLine(e.ToString());
        return code;
    }

    static Exception Unwrap(Exception e)
    {
        while (e is AggregateException or System.Reflection.TargetInvocationException or TypeInitializationException && e.InnerException is not null)
            e = e.InnerException!;
        return e;
    }
}

/// <summary>A wrong option value the parser could not catch (e.g. an unknown model name).</summary>
public sealed class UsageException(string message) : Exception(message);
