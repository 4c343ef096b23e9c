using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Recipe.Bench;

/// <summary>
/// Reads wall time, this process's CPU time (all threads) and the calling thread's CPU time together.
/// On a shared machine the wall clock also counts the time the scheduler gave to other people's
/// builds; CPU time does not, so a ratio of CPU times is the steadier cross-check of a ratio of wall
/// times. (Python's time.process_time() reads the process clock in pytorch_steps.py.) The thread
/// clock leaves out the runtime's own threads too (tiered JIT, GC): with one torch thread every
/// kernel of a TorchSharp step runs on the thread that called it, so it counts the step and nothing else.
/// </summary>
public readonly record struct CpuClock(long WallTicks, double CpuSeconds, double ThreadCpuSeconds)
{
    const int ClockProcessCpuTimeId = 2; // CLOCK_PROCESS_CPUTIME_ID
    const int ClockThreadCpuTimeId = 3;  // CLOCK_THREAD_CPUTIME_ID

    public static CpuClock Now() => new(Stopwatch.GetTimestamp(), ProcessCpuSeconds(), ThreadCpuSecondsNow());

    /// <summary>Steps per wall second, per process CPU second and per thread CPU second since <paramref name="start"/>.</summary>
    public static StepSpeed SpeedSince(CpuClock start, int steps)
    {
        var end = Now();
        return new StepSpeed(steps / Stopwatch.GetElapsedTime(start.WallTicks, end.WallTicks).TotalSeconds,
                             steps / (end.CpuSeconds - start.CpuSeconds),
                             steps / (end.ThreadCpuSeconds - start.ThreadCpuSeconds));
    }

    static double ProcessCpuSeconds()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockProcessCpuTimeId, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The calling thread's CPU time, s (NaN where the clock is missing).</summary>
    public static double ThreadCpuSecondsNow()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTimeId, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        return double.NaN; // no thread clock: the overhead benchmark says so instead of guessing
    }

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc.so.6")]
    static extern int clock_gettime(int clockId, out Timespec time);
}
