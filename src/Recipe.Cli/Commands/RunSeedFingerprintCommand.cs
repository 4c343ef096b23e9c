using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Stages;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// Hidden: `recipe run` starts `recipe __seed-fingerprint-run` with its own arguments, in a fresh process, so that
/// seed-reproducible compares a run there with one in the running process, as `recipe check` does. It rebuilds the
/// pipeline `recipe run` checks (the same data, model and planned training) and writes the fingerprint; nothing else
/// (no inspection, no training, no output folder).
/// </summary>
public sealed class RunSeedFingerprintCommand : Command<RunCommand.Settings>
{
    public const string Name = "__seed-fingerprint-run";

    /// <summary>The fresh-process command for `recipe run` with <paramref name="runArguments"/> (everything after "run").</summary>
    public static FreshProcess For(IEnumerable<string> runArguments) =>
        FreshProcess.DotnetAssembly(typeof(RunSeedFingerprintCommand).Assembly.Location, [Name, .. runArguments]);

    public override int Execute(CommandContext context, RunCommand.Settings settings, CancellationToken cancellationToken)
    {
        if (!SeedFingerprint.Requested)
            throw new InvalidOperationException($"{Name} is started by `recipe run` with {SeedFingerprint.FolderVariable} set; run `recipe run` instead");
        var options = settings.ToOptions();
        Native.TorchRuntime.EnsureLoadable();
        if (options.Threads is { } threads) TorchSharp.torch.set_num_threads(threads);
        using var data = DataSpec.Load(options.Data, new ReadOptions(options.TargetColumn, options.ImageSize, NoHeader: options.NoHeader, Task: options.Task));
        // As RunStage builds the pipeline it checks: the normalizer fitted to the data, the planned run's length and settings.
        using var normalizer = InputNormalizer.FitTo(data);
        var (pipeline, _) = RunStage.Skeleton(options, data, normalizer);
        using var scaledData = pipeline.Data == data ? null : pipeline.Data;
        SeedFingerprint.WriteRequested(pipeline, options.QuickChecks ? CheckOptions.Quick : new CheckOptions());
        return 0;
    }
}
