using TorchSharp.Modules;

namespace Recipe.Models;

/// <summary>A model whose last layer is a Linear whose bias can be set from the targets' statistics.</summary>
public interface IHasOutputLayer
{
    Linear Output { get; }
}
