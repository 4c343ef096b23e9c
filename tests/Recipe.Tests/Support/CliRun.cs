using Recipe.Cli;

namespace Recipe.Tests.Support;

/// <summary>What one in-process run of the `recipe` command printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs `recipe args...` through the same entry point as the installed command.</summary>
    public static CliRun Of(params string[] args)
    {
        // not disposed: Spectre's progress refresh thread can make one last write after the command returns, and a closed
        // StringWriter would crash the whole test host on it (a StringWriter holds no resource that needs disposing)
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = RecipeApp.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The lines written to stderr (the final newline does not start a line).</summary>
    public string[] StderrLines => Stderr.Length == 0 ? [] : Stderr.TrimEnd('\n').Split('\n');
}
