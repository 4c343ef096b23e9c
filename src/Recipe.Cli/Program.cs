using Recipe.Cli;
using Recipe.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

// The `recipe` command: one file per subcommand under Commands/. Exit codes: 0 the stage passed,
// 1 a blocking check failed, 2 bad usage or bad input (one line, no stack trace unless --verbose).
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("recipe");
    config.PropagateExceptions();
    config.AddCommand<RunCommand>("run")
        .WithDescription("Train a simple model on the data, evaluate on the whole test split, write report.html and summary.json.")
        .WithExample("run")
        .WithExample("run", "--data", "fashion-mnist", "--out", "runs/fmnist", "--seed", "1");
    config.AddCommand<CheckCommand>("check")
        .WithDescription("Stage 2: sanity checks and dumb baselines on the default pipeline, each a hypothesis with a verdict; exit 1 when a blocking check fails.")
        .WithExample("check")
        .WithExample("check", "--data", "fashion-mnist-sample", "--out", "runs/check")
        .WithExample("check", "--pipeline", "bin/MyNet.dll", "--data", "./my-images");
});

bool verbose = args.Contains("--verbose");
try
{
    return app.Run(args);
}
catch (Exception e)
{
    return ErrorReporter.Report(e, verbose);
}
