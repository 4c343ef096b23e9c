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
            OutputFolder.EnsureUsable(OutFolder, Force); // the library refuses too; checked here so nothing runs before the refusal
        }
        catch (OutputFolderException e)
        {
            return ValidationResult.Error($"--out {e.Message}");
        }
        return ValidationResult.Success();
    }
}
