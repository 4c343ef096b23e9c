namespace Recipe.Data;

/// <summary>What the targets are, which decides the loss, the metrics and the dumb baselines.</summary>
public enum TaskKind
{
    /// <summary>One class index per example (int64 targets of shape (N)).</summary>
    Classification,
    /// <summary>One real value per example (float32 targets of shape (N)).</summary>
    Regression,
    /// <summary>Autoregressive next-token prediction (int64 targets of shape (N, T), -1 = ignore).</summary>
    Sequence,
}
