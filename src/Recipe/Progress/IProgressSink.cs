namespace Recipe.Progress;

/// <summary>Where long-running work reports progress (a terminal progress bar, or nothing).</summary>
public interface IProgressSink
{
    IProgressTask Start(string description, double total);
}

/// <summary>One unit of work with a known total.</summary>
public interface IProgressTask : IDisposable
{
    void Advance(double amount = 1);
    void Describe(string description);
}

/// <summary>Discards progress: for tests and library callers without a terminal.</summary>
public sealed class NullProgress : IProgressSink, IProgressTask
{
    public static readonly NullProgress Instance = new();
    public IProgressTask Start(string description, double total) => this;
    public void Advance(double amount = 1) { }
    public void Describe(string description) { }
    public void Dispose() { }
}
