namespace Recipe.Cli;

/// <summary>
/// Redraws a live display on a thread of its own until disposed, and Dispose waits for that thread to end. Spectre's
/// own refresh thread is not joined when the work finishes before that thread has started (its Dispose then returns at
/// once and the thread keeps redrawing): under load a command that fails fast left it writing to the command's output
/// after the command had returned, and a closed writer crashed the test host. Nothing here outlives its command.
/// </summary>
public sealed class LiveRefresh : IDisposable
{
    readonly Action _refresh;
    readonly TimeSpan _interval;
    readonly ManualResetEventSlim _stop = new(false);
    readonly Thread _thread;

    public LiveRefresh(Action refresh, TimeSpan interval)
    {
        _refresh = refresh;
        _interval = interval;
        _thread = new Thread(Loop) { IsBackground = true, Name = "recipe live display" };
        _thread.Start();
    }

    void Loop()
    {
        while (!_stop.Wait(_interval)) _refresh();
    }

    /// <summary>Stops the redraws; when it returns, no redraw is running or will run.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
