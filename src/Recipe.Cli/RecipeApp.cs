using Recipe.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli;

/// <summary>
/// The `recipe` command as a function of its arguments and two writers, so that tests run it in-process
/// exactly as a user would. Exit codes: 0 the stage passed, 1 a blocking check failed, 2 bad usage or bad
/// input (one line on stderr, no stack trace unless --verbose), 3 an internal error, 4 no blocking check failed but a
/// non-blocking one did (printed with its advice).
/// </summary>
public static class RecipeApp
{
    /// <summary>Runs the command line <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        bool verbose = args.Contains("--verbose");
        // Spectre.Console.Cli has no one-letter long options; accept the documented `--n 100` as `-n 100`.
        args = args.Select(a => a == "--n" ? "-n" : a).ToArray();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        // Commands write through the static AnsiConsole (tables, progress bars): point it at stdout for this run.
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = console;
        // seed-reproducible rebuilds the checked pipeline in a fresh process with the same arguments.
        Recipe.Checks.FreshProcess.Ambient = args switch
        {
            ["check", .. var checkArguments] => SeedFingerprintCommand.For(checkArguments),
            ["run", .. var runArguments] => RunSeedFingerprintCommand.For(runArguments),
            _ => null,
        };
        try
        {
            OptionValueCheck.Run(args);
            return Build(console).Run(args);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, verbose, stderr);
        }
        finally
        {
            AnsiConsole.Console = previous;
            Recipe.Checks.FreshProcess.Ambient = null;
        }
    }

    static CommandApp Build(IAnsiConsole console)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("recipe");
            config.ConfigureConsole(console);
            // Errors come back here as exceptions so that ErrorReporter alone decides what the user sees.
            config.PropagateExceptions();
            // An unknown option is an error, not a remaining argument: `--epoch 5` must not train with the defaults.
            config.UseStrictParsing();
            config.AddCommand<RunCommand>("run")
                .WithDescription("Stages 1-3, then train the chosen model on the data, evaluate on the whole test split, write report.html and summary.json. " +
                                 "Exit codes: 0 all passed, 1 a blocking check failed (not trained), 2 bad input, 4 trained, but a non-blocking check failed.")
                .WithExample("run")
                .WithExample("run", "--data", "fashion-mnist", "--out", "runs/fmnist", "--seed", "1");
            config.AddCommand<OverfitCommand>("overfit")
                .WithDescription("Stages 1-3: inspect, check the skeleton, then grow it one predicted change at a time (learning rate, capacity ladder) until the " +
                                 "training loss is near its floor; writes the experiment log and the capacity-ladder picture. Exit codes as run.")
                .WithExample("overfit", "--data", "fashion-mnist-sample", "--budget", "5m", "--out", "runs/overfit");
            config.AddCommand<RegularizeCommand>("regularize")
                .WithDescription("Stages 1-4: inspect, check, overfit, then regularize: the learning curve, then augmentation, weight decay, dropout, a smaller batch, " +
                                 "a smaller and a larger model, each an experiment on validation loss kept only when confirmed, and an ablation. No test evaluation. Exit codes as run.")
                .WithExample("regularize", "--data", "fashion-mnist-sample", "--budget", "10m", "--out", "runs/regularize");
            config.AddCommand<CheckCommand>("check")
                .WithDescription("Stage 2: sanity checks and dumb baselines on the default pipeline (or your own with --pipeline), each a hypothesis with a verdict. " +
                                 "Exit codes: 0 all passed, 1 a blocking check failed, 2 bad input, 4 passed with non-blocking failures.")
                .WithExample("check")
                .WithExample("check", "--data", "fashion-mnist-sample", "--out", "runs/check")
                .WithExample("check", "--pipeline", "examples/ExamplePipeline/bin/Debug/net10.0/ExamplePipeline.dll", "--pipeline-class", "ViewBugPipeline");
            config.AddCommand<SeedFingerprintCommand>(SeedFingerprintCommand.Name).IsHidden();
            config.AddCommand<RunSeedFingerprintCommand>(RunSeedFingerprintCommand.Name).IsHidden();
            config.AddCommand<InspectCommand>("inspect")
                .WithDescription("Stage 1, become one with the data: counts, galleries, statistics, duplicates, leakage, outliers; search, filter and sort. Writes report.html and summary.json.")
                .WithExample("inspect", "--data", "fashion-mnist", "--out", "runs/inspect")
                .WithExample("inspect", "--data", "fashion-mnist", "--where", "label=3", "--sort", "contrast", "--top", "64", "--out", "runs/dresses");
            config.AddCommand<PredictCommand>("predict").WithDescription("Apply a trained run's model to new data; writes predictions as CSV (exit 2 for data the model was not trained on).").WithExample("predict", "--model", "runs/fmnist", "--data", "fashion-mnist");
            config.AddCommand<HumanCommand>("human")
                .WithDescription("Label test examples yourself, one at a time: stores the human accuracy (and agreement with --pass 2).")
                .WithExample("human", "--data", "fashion-mnist", "-n", "100");
        });
        return app;
    }
}
