using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// Hidden: `recipe check` starts `recipe __seed-fingerprint` with its own arguments, in a fresh process, so that
/// seed-reproducible can compare a run there with one in the checking process. It rebuilds the same pipeline
/// (the same data, provider or default model) and writes the fingerprint where the environment says; nothing else.
/// </summary>
public sealed class SeedFingerprintCommand : Command<CheckCommand.Settings>
{
    public const string Name = "__seed-fingerprint";

    /// <summary>The fresh-process command for `recipe check` with <paramref name="checkArguments"/> (everything after "check").</summary>
    public static FreshProcess For(IEnumerable<string> checkArguments) =>
        FreshProcess.DotnetAssembly(typeof(SeedFingerprintCommand).Assembly.Location, [Name, .. checkArguments]);

    public override int Execute(CommandContext context, CheckCommand.Settings settings, CancellationToken cancellationToken)
    {
        if (!SeedFingerprint.Requested)
            throw new InvalidOperationException($"{Name} is started by `recipe check` with {SeedFingerprint.FolderVariable} set; run `recipe check` instead");
        Native.TorchRuntime.EnsureLoadable();
        TorchSharp.torch.set_num_threads(settings.Threads > 0 ? settings.Threads : 1);
        using var data = DataSpec.Load(settings.Data, new ReadOptions(settings.Target, settings.ImageSize, NoHeader: settings.NoHeader, Task: settings.TaskKind));
        var options = settings.Quick ? CheckOptions.Quick : new CheckOptions();
        if (settings.Pipeline is { } path)
        {
            SeedFingerprint.WriteRequested(PipelineAssembly.Load(path, settings.PipelineClass).Create(new PipelineRequest(data, settings.Seed)), options);
            return 0;
        }
        // As `recipe check` builds Recipe's own pipeline (Stage2.Run): the normalizer fitted to the data, the planned run's settings.
        using var normalizer = InputNormalizer.FitTo(data);
        var training = new TrainingConfig { Seed = settings.Seed, BatchSize = settings.BatchSize, Epochs = settings.Epochs, LearningRate = settings.LearningRate };
        SeedFingerprint.WriteRequested(Pipeline.Default(data, normalizer, settings.Model, training), options);
        return 0;
    }
}
