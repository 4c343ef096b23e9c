using Recipe.Progress;
using Spectre.Console;

namespace Recipe.Cli;

/// <summary>Spectre.Console progress bars behind the library's <see cref="IProgressSink"/>.</summary>
public static class Terminal
{
    public static T WithProgress<T>(Func<IProgressSink, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new SpectreSink(context)));

    sealed class SpectreSink(ProgressContext context) : IProgressSink
    {
        public IProgressTask Start(string description, double total) =>
            new SpectreTask(context.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1)));
    }

    sealed class SpectreTask(ProgressTask task) : IProgressTask
    {
        public void Advance(double amount = 1) => task.Increment(amount);
        public void Describe(string description) => task.Description = Markup.Escape(description);
        public void Dispose() => task.Value = task.MaxValue;
    }
}
