namespace Recipe.Bench;

/// <summary>
/// One way of running training steps (Recipe's trainer, a bare loop, PyTorch). Each call starts from a
/// fresh seeded model and Adam, runs the warm-up steps untimed, then reports the timed steps' speed
/// (per wall second and per CPU second).
/// </summary>
public interface IStepVariant : IDisposable
{
    /// <summary>Short label for the table, e.g. "Recipe Trainer".</summary>
    string Label { get; }
    StepSpeed Run(BenchModel model, long seed);
}
