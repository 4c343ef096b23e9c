namespace Recipe.Stages;

/// <summary>
/// The exit codes of `recipe check` and `recipe run`, so a script can tell "passed" from "passed with failures".
/// Warnings do not change the code: they are soft rules a correct pipeline may earn.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every check passed (or warned, or did not apply).</summary>
    public const int Passed = 0;
    /// <summary>A blocking check failed or could not run: the stage is not proven and the recipe stopped.</summary>
    public const int BlockingFailure = 1;
    /// <summary>Bad usage or bad input: one line on stderr naming the file, the place and what was expected.</summary>
    public const int BadInput = 2;
    /// <summary>Recipe itself failed (a bug): one line, the stack trace with --verbose.</summary>
    public const int Crash = 3;
    /// <summary>No blocking check stopped the recipe, but a non-blocking one failed or could not run (printed with its advice).</summary>
    public const int NonBlockingFailures = 4;
}
