using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Recipe.Bench;

/// <summary>
/// Reads wall time and this process's CPU time (all threads) together. On a shared machine the wall
/// clock also counts the time the scheduler gave to other people's builds; CPU time does not, so a
/// ratio of CPU times is the steadier cross-check of a ratio of wall times. (Python's
/// time.process_time() reads the same clock in pytorch_steps.py.) <see cref="ThreadCpuSecondsNow"/>
/// reads the calling thread's clock alone, for the overhead benchmark's lockstep.
/// </summary>
public readonly record struct CpuClock(long WallTicks, double CpuSeconds)
{
    const int ClockProcessCpuTimeId = 2; // CLOCK_PROCESS_CPUTIME_ID
    const int ClockThreadCpuTimeId = 3;  // CLOCK_THREAD_CPUTIME_ID

    public static CpuClock Now() => new(Stopwatch.GetTimestamp(), ProcessCpuSeconds());

    /// <summary>Steps per wall second and per CPU second since <paramref name="start"/>.</summary>
    public static StepSpeed SpeedSince(CpuClock start, int steps)
    {
        var end = Now();
        return new StepSpeed(steps / Stopwatch.GetElapsedTime(start.WallTicks, end.WallTicks).TotalSeconds,
                             steps / (end.CpuSeconds - start.CpuSeconds));
    }

    static double ProcessCpuSeconds()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockProcessCpuTimeId, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// The calling thread's CPU time, s (NaN where the clock is missing). It leaves out the runtime's own
    /// threads (tiered JIT, GC) and time given to other processes: with one torch thread every kernel of
    /// a TorchSharp step runs on the thread that called it, so it counts the step and nothing else.
    /// </summary>
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
