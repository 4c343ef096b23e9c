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
    config.AddCommand<InspectCommand>("inspect")
        .WithDescription("Stage 1, become one with the data: counts, galleries, statistics, duplicates, leakage, outliers; search, filter and sort. Writes report.html and summary.json.")
        .WithExample("inspect", "--data", "fashion-mnist", "--out", "runs/inspect")
        .WithExample("inspect", "--data", "fashion-mnist", "--where", "label=3", "--sort", "contrast", "--top", "64", "--out", "runs/dresses");
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
