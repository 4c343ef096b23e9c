using Recipe.Cli;
using Recipe.Tests.Support;

namespace Recipe.Tests.Cli;

/// <summary>
/// No command leaves a live display behind: once `recipe` returns (success, exit 2, or an exception inside the progress
/// bars), nothing writes to its output any more. The writer counts what it receives after it is closed, as a closed
/// console would (a write there crashed the test host).
/// </summary>
public class LiveDisplayLifetimeTests
{
    /// <summary>Records every write; after <see cref="Close"/>, counts them as late instead of storing them.</summary>
    sealed class ClosingWriter : StringWriter
    {
        int _closed, _late;
        public int LateWrites => Volatile.Read(ref _late);
        public void MarkClosed() => Volatile.Write(ref _closed, 1);
        bool Closed => Volatile.Read(ref _closed) == 1;
        public override void Write(char value) { if (Closed) Interlocked.Increment(ref _late); else base.Write(value); }
        public override void Write(string? value) { if (Closed) Interlocked.Increment(ref _late); else base.Write(value); }
        public override void Write(char[] buffer, int index, int count) { if (Closed) Interlocked.Increment(ref _late); else base.Write(buffer, index, count); }
        public override void Flush() { if (Closed) Interlocked.Increment(ref _late); else base.Flush(); }
    }

    [Fact]
    public void Given_commands_that_fail_inside_their_progress_bars_When_they_return_Then_nothing_writes_to_their_output_afterwards()
    {
        using var temp = new TempFolder();
        var missing = temp.Combine("no-such-data");
        var writers = new List<ClosingWriter>();

        // Given/When: fast failures (bad data is read inside the progress display), the case where the redraw thread had
        // not even started when the work ended
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var stdout = new ClosingWriter();
            var stderr = new ClosingWriter();
            int code = RecipeApp.Run(["inspect", "--data", missing, "--out", temp.Combine($"out{attempt}")], stdout, stderr);
            Assert.Equal(2, code);
            stdout.MarkClosed();
            stderr.MarkClosed();
            writers.Add(stdout);
            writers.Add(stderr);
        }
        Thread.Sleep(TimeSpan.FromMilliseconds(500));   // several redraw intervals: a display left running would have written

        // Then
        Assert.All(writers, w => Assert.Equal(0, w.LateWrites));
    }

    [Fact]
    public void Given_work_that_throws_inside_the_progress_bars_When_WithProgress_returns_Then_the_display_has_stopped()
    {
        var stdout = new ClosingWriter();
        var previous = Spectre.Console.AnsiConsole.Console;
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(stdout) });
        try
        {
            // When
            Assert.Throws<InvalidOperationException>(() => Terminal.WithProgress<int>(progress =>
            {
                using var task = progress.Start("work", 10);
                task.Advance(3);
                throw new InvalidOperationException("broken");
            }));
            stdout.MarkClosed();
        }
        finally { Spectre.Console.AnsiConsole.Console = previous; }
        Thread.Sleep(TimeSpan.FromMilliseconds(500));

        // Then
        Assert.Equal(0, stdout.LateWrites);
    }
}
