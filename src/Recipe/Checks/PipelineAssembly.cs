using System.Reflection;
using System.Runtime.Loader;
using Recipe.Data;

namespace Recipe.Checks;

/// <summary>
/// Loads a user's compiled pipeline: `PATH.dll` (the one <see cref="IPipelineProvider"/> in it) or
/// `PATH.dll:Namespace.Type`. The assembly joins the default load context, so it shares Recipe's and
/// TorchSharp's types; its other dependencies are looked up next to it.
/// </summary>
public static class PipelineAssembly
{
    public static IPipelineProvider Load(string spec)
    {
        var (path, typeName) = Split(spec);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new DataException(path, "path", "a compiled .NET assembly (.dll) holding an IPipelineProvider");
        var folder = Path.GetDirectoryName(full)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(folder, $"{name.Name}.dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };

        Assembly assembly;
        try { assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full); }
        catch (BadImageFormatException) { throw new DataException(path, "file", "a .NET assembly (.dll), found something else"); }

        var providers = ProvidersIn(assembly);
        var chosen = typeName is null
            ? providers.Count == 1 ? providers[0] : null
            : providers.FirstOrDefault(t => t.FullName == typeName || t.Name == typeName);
        if (chosen is null)
            throw new DataException(path, typeName is null ? "assembly" : $"type '{typeName}'",
                providers.Count == 0
                    ? $"a public class implementing {nameof(IPipelineProvider)} with a parameterless constructor, found none"
                    : $"one of its pipeline providers named as PATH.dll:TYPE: {string.Join(", ", providers.Select(t => t.FullName))}");
        return (IPipelineProvider)Activator.CreateInstance(chosen)!;
    }

    static List<Type> ProvidersIn(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetExportedTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        return types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPipelineProvider).IsAssignableFrom(t)
                                && t.GetConstructor(Type.EmptyTypes) is not null).ToList();
    }

    /// <summary>"a/b.dll:Ns.Type" → ("a/b.dll", "Ns.Type"); "a/b.dll" → ("a/b.dll", null).</summary>
    static (string Path, string? Type) Split(string spec)
    {
        int at = spec.IndexOf(".dll:", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? (spec, null) : (spec[..(at + 4)], spec[(at + 5)..]);
    }
}
