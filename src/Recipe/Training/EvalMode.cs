using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// Puts a module in eval mode (dropout off, batch norm on its running statistics) for the life of a `using` and restores
/// the mode it had, even when the measurement throws: a measurement must never leave a model it was handed in another mode.
/// </summary>
public readonly struct EvalMode : IDisposable
{
    readonly nn.Module _module;
    readonly bool _wasTraining;

    EvalMode(nn.Module module)
    {
        _module = module;
        _wasTraining = module.training;
        module.eval();
    }

    /// <summary>`using var _ = EvalMode.Of(model);`</summary>
    public static EvalMode Of(nn.Module module) => new(module);

    public void Dispose()
    {
        if (_wasTraining) _module.train();
    }
}
