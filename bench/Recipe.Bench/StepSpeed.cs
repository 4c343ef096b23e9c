namespace Recipe.Bench;

/// <summary>
/// Training speed of one run: steps per wall-clock second, per second of process CPU time and per
/// second of the training thread's CPU time (NaN where it could not be read, e.g. PyTorch's process).
/// </summary>
public readonly record struct StepSpeed(double PerWallSecond, double PerCpuSecond, double PerThreadCpuSecond = double.NaN);
