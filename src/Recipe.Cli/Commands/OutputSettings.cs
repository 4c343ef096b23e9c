using System.ComponentModel;
using Recipe.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// Options of the commands that write an output folder (run, check, inspect). The folder is checked before
/// any work: a run may replace only what Recipe wrote there, so a folder holding anything else is refused
/// unless --force (and even then only Recipe's own files are replaced).
/// </summary>
public class OutputSettings : CommonSettings
{
    [CommandOption("--force")]
    [Description("Write into an --out folder that holds files Recipe did not write; they are kept (only Recipe's own files are ever replaced).")]
    public bool Force { get; init; }

    /// <summary>Where this command writes when --out is not given (`recipe run` owns the shared runs/latest).</summary>
    protected virtual string DefaultOut => "runs/latest";

    /// <summary>The output folder: --out, or this command's default.</summary>
    public string OutFolder => Out == "runs/latest" ? DefaultOut : Out;

    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } common) return common;
        try
        {
            if (OutputFolder.Collisions(OutFolder) is [var first, ..] collisions)
                return ValidationResult.Error($"--out {OutFolder}: {first}{(collisions.Count > 1 ? $" (and {collisions.Count - 1} more)" : "")} there was not written by Recipe " +
                                              "and would have to be replaced; choose another --out (even --force never replaces a file Recipe did not write)");
            if (!Force && OutputFolder.ForeignEntries(OutFolder) is [_, ..] foreign)
                return ValidationResult.Error($"--out {OutFolder}: expected an empty folder or one Recipe wrote, found {Describe(foreign)} that Recipe did not write; " +
                                              "choose another --out, or add --force to write beside them (only Recipe's own files are replaced)");
        }
        catch (OutputFolderException e)
        {
            return ValidationResult.Error($"--out {e.Message}");
        }
        return ValidationResult.Success();
    }

    static string Describe(IReadOnlyList<string> entries) =>
        string.Join(", ", entries.Take(3).Select(e => $"'{e}'")) + (entries.Count > 3 ? $" and {entries.Count - 3} more" : "");
}
