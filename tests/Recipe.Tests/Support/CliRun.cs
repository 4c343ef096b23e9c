using Recipe.Cli;

namespace Recipe.Tests.Support;

/// <summary>What one in-process run of the `recipe` command printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs `recipe args...` through the same entry point as the installed command.</summary>
    public static CliRun Of(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = RecipeApp.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The lines written to stderr (the final newline does not start a line).</summary>
    public string[] StderrLines => Stderr.Length == 0 ? [] : Stderr.TrimEnd('\n').Split('\n');
}
