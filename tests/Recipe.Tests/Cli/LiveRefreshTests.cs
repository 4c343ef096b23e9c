using Recipe.Cli;

namespace Recipe.Tests.Cli;

/// <summary>The live display's redraw thread ends with its command: Dispose returns only when no redraw can follow.</summary>
public class LiveRefreshTests
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    [Fact]
    public void Given_a_refresh_disposed_right_after_it_started_When_time_passes_Then_no_redraw_follows_the_dispose()
    {
        // Given: many refreshes stopped at once (the fast-failing command: its work ends before the thread has run)
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int redraws = 0;
            var refresh = new LiveRefresh(() => Interlocked.Increment(ref redraws), Interval);

            // When
            refresh.Dispose();
            int atDispose = Volatile.Read(ref redraws);
            Thread.Sleep(Interval * 4);

            // Then
            Assert.Equal(atDispose, Volatile.Read(ref redraws));
        }
    }

    [Fact]
    public void Given_a_running_refresh_When_work_takes_a_while_Then_it_redraws_and_stops_at_dispose()
    {
        // Given
        int redraws = 0;
        var refresh = new LiveRefresh(() => Interlocked.Increment(ref redraws), Interval);

        // When: wait for a few redraws (bounded, so a thread that never runs fails the test rather than hanging it)
        SpinWait.SpinUntil(() => Volatile.Read(ref redraws) >= 3, TimeSpan.FromSeconds(30));
        refresh.Dispose();
        int atDispose = Volatile.Read(ref redraws);
        Thread.Sleep(Interval * 4);

        // Then
        Assert.True(atDispose >= 3, $"only {atDispose} redraws");
        Assert.Equal(atDispose, Volatile.Read(ref redraws));
    }
}
