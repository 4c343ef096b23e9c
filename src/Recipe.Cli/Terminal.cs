using Recipe.Progress;
using Spectre.Console;

namespace Recipe.Cli;

/// <summary>Spectre.Console progress bars behind the library's <see cref="IProgressSink"/>.</summary>
public static class Terminal
{
    /// <summary>How often the bars are redrawn while work runs.</summary>
    static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="work"/> under progress bars. The redraws come from <see cref="LiveRefresh"/>, not from Spectre's
    /// auto-refresh, so that the display has stopped writing when this returns, normally or by an exception.
    /// </summary>
    public static T WithProgress<T>(Func<IProgressSink, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .AutoRefresh(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                using var refresh = new LiveRefresh(context.Refresh, RefreshInterval);
                return work(new SpectreSink(context));
            });

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
