using System.Globalization;
using System.Reflection;
using Recipe.Cli.Commands;
using Spectre.Console.Cli;

namespace Recipe.Cli;

/// <summary>
/// Reads the command line once before the parser does, for the two mistakes the parser reports badly:
/// an option given without its value (Spectre.Console.Cli then hands the option its internal name,
/// "__default_command", so `--out` alone wrote to a folder of that name) and a number that is not one
/// (it names the CLR type, "Nullable`1"; NaN and Infinity pass as doubles). The options and their types
/// come from the settings classes, so a new option is covered without a line here.
/// </summary>
public static class OptionValueCheck
{
    static readonly Dictionary<string, Type> SettingsOf = new(StringComparer.Ordinal)
    {
        ["run"] = typeof(RunCommand.Settings),
        ["check"] = typeof(CheckCommand.Settings),
        ["inspect"] = typeof(InspectCommand.Settings),
        ["human"] = typeof(HumanCommand.Settings),
    };

    sealed record Option(string Name, string? ValueName, Type Type);

    /// <summary>Throws a <see cref="UsageException"/> naming the option when a value is missing or is not a number it needs.</summary>
    public static void Run(string[] args)
    {
        if (args.Length == 0 || !SettingsOf.TryGetValue(args[0], out var settings)) return; // the parser reports unknown commands
        if (args.Any(a => a is "-h" or "--help")) return;
        var options = OptionsOf(settings);
        for (int i = 1; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (!options.TryGetValue(name, out var option) || option.ValueName is null) continue; // flags, values, unknown options (the parser's)
            string? value = inline;
            if (value is null)
            {
                bool missing = i + 1 >= args.Length || options.ContainsKey(args[i + 1].Split('=', 2)[0]) || args[i + 1].StartsWith("--", StringComparison.Ordinal);
                if (missing) throw new UsageException($"{name} needs a value ({option.ValueName}), found {(i + 1 >= args.Length ? "the end of the command line" : $"the option {args[i + 1]}")}");
                value = args[++i];
            }
            if (ProblemWith(value, option.Type) is { } expected)
                throw new UsageException($"{name}: expected {expected}, found '{value}'");
        }
    }

    /// <summary>What a value of <paramref name="type"/> must look like, or null when <paramref name="value"/> is one.</summary>
    static string? ProblemWith(string value, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"a whole number from {int.MinValue} to {int.MaxValue}";
        if (type == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "a whole number";
        if (type == typeof(double))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? null : "a finite number (e.g. 0.001 or 1e-3)";
        return null; // strings: each command's Validate says what it accepts
    }

    static Dictionary<string, Option> OptionsOf(Type settings)
    {
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } attribute) continue;
            var valueName = attribute.ValueName is null || attribute.ValueIsOptional ? null : $"<{attribute.ValueName}>";
            foreach (var name in attribute.LongNames) options[$"--{name}"] = new Option($"--{name}", valueName, property.PropertyType);
            foreach (var name in attribute.ShortNames) options[$"-{name}"] = new Option($"-{name}", valueName, property.PropertyType);
        }
        return options;
    }
}
