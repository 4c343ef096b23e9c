using Recipe.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// Validates --task on the option itself: only the two tasks a CSV target can have. (Spectre's enum binding
/// would also take "sequence" or a number.)
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TaskOptionAttribute() : ParameterValidationAttribute("--task must be classification or regression")
{
    public override ValidationResult Validate(CommandParameterContext context) =>
        context.Value is null || Parse(context.Value as string) is not null
            ? ValidationResult.Success()
            : ValidationResult.Error(ErrorMessage); // Spectre reports the attribute's message whatever this says

    /// <summary>The task a --task value names, or null for none or an unknown one.</summary>
    public static TaskKind? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        "classification" => TaskKind.Classification,
        "regression" => TaskKind.Regression,
        _ => null,
    };
}
