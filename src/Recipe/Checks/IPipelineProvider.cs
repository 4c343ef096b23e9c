using Recipe.Data;

namespace Recipe.Checks;

/// <summary>
/// Put a public class implementing this (with a parameterless constructor) in your own assembly, and
/// `recipe check --pipeline YourAssembly.dll --data SPEC` runs every check on your parts: it loads the data,
/// asks you for the pipeline, and reports as for Recipe's own.
/// </summary>
public interface IPipelineProvider
{
    /// <summary>Your model factory, loss, input transform, augmentation and optimizer for the loaded data.</summary>
    Pipeline Create(Dataset data);
}
