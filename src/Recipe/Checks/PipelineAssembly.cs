using System.Reflection;
using Recipe.Data;

namespace Recipe.Checks;

/// <summary>
/// Finds the <see cref="IPipelineProvider"/>s in a compiled pipeline assembly. The assembly is loaded
/// into the default context, so it shares Recipe's and TorchSharp's types with the host; its other
/// dependencies resolve from its own folder.
/// </summary>
public static class PipelineAssembly
{
    /// <summary>The provider named <paramref name="className"/> (simple or full name), or the only one there is.</summary>
    public static IPipelineProvider Load(string path, string? className = null)
    {
        var providers = ProviderTypes(path);
        var chosen = className is null
            ? providers.Length == 1 ? providers[0]
                : throw new DataException(path, "assembly", $"one IPipelineProvider, found {providers.Length} ({Names(providers)}); choose one with --pipeline-class")
            : providers.FirstOrDefault(t => t.Name == className || t.FullName == className)
              ?? throw new DataException(path, "assembly", $"an IPipelineProvider named '{className}'; found {Names(providers)}");
        if (chosen.GetConstructor(Type.EmptyTypes) is null)
            throw new DataException(path, $"class {chosen.FullName}", "a public parameterless constructor");
        return (IPipelineProvider)Activator.CreateInstance(chosen)!;
    }

    /// <summary>Every public, concrete class implementing <see cref="IPipelineProvider"/>, by name.</summary>
    public static Type[] ProviderTypes(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, "path", "an existing .dll built against Recipe");
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
        {
            var candidate = Path.Combine(folder, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        };
        Assembly assembly;
        try { assembly = Assembly.LoadFrom(full); }
        catch (BadImageFormatException) { throw new DataException(path, "file", "a .NET assembly (.dll)"); }
        Type[] types;
        try { types = assembly.GetExportedTypes(); }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new DataException(path, "assembly", $"an assembly whose dependencies load next to it ({e.Message})");
        }
        var providers = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPipelineProvider).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();
        if (providers.Length == 0)
            throw new DataException(path, "assembly", "a public class implementing Recipe.Checks.IPipelineProvider");
        return providers;
    }

    static string Names(Type[] types) => string.Join(", ", types.Select(t => t.Name));
}
