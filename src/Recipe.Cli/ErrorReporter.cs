using System.Text;
using Recipe.Data;
using Spectre.Console.Cli;

namespace Recipe.Cli;

/// <summary>
/// Turns an exception into one clear line on stderr and an exit code; the stack trace only with --verbose.
/// The line is one line even when the message quotes a value with a newline in it (a CSV field can).
/// </summary>
public static class ErrorReporter
{
    public const int BadInput = 2;
    public const int Crash = 3;

    public static int Report(Exception e, bool verbose, TextWriter stderr)
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
        stderr.WriteLine(OneLine(message));
        if (verbose) stderr.WriteLine(e.ToString());
        return code;
    }

    /// <summary>Control characters (newlines, tabs, escapes) written as \n, \t, \u001b so the message stays one line.</summary>
    static string OneLine(string message)
    {
        var line = new StringBuilder(message.Length);
        foreach (char c in message)
            line.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return line.ToString();
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
