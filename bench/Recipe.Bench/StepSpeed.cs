namespace Recipe.Bench;

/// <summary>Training speed of one run: steps per wall-clock second and per second of process CPU time.</summary>
public readonly record struct StepSpeed(double PerWallSecond, double PerCpuSecond);
