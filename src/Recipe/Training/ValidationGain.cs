namespace Recipe.Training;

/// <summary>
/// Is validation still improving by more than its own noise? Records every validation loss of a run and, asked at a step
/// budget's end, compares the best loss before the last stretch of training (the window) with the best loss now. The noise
/// is the validation curve's own jitter inside that window: the spread of its point-to-point changes once their mean (the
/// trend) is taken out, divided by √2 (a change is the difference of two noisy points). A run whose curve still falls by
/// more than that jitter is buying real progress with its extra steps; a run whose gains are within the jitter is not.
/// Measured on the run itself, so the same rule holds for a 150-row table and for 54,000 images.
/// </summary>
public sealed class ValidationGain : ITrainingHook
{
    readonly List<(int Step, double Loss)> _points = [];

    /// <summary>The step of the latest validation point (0 before any).</summary>
    public int LatestStep => _points.Count == 0 ? 0 : _points[^1].Step;

    /// <summary>The last judgement, for the stop reason: the gain over the window and the noise it was held to.</summary>
    public (double Gain, double Noise, int WindowStart)? Last { get; private set; }

    public StopRequest? OnValidation(TrainingContext context, ValidationPoint validation)
    {
        _points.Add((validation.Step, double.IsFinite(validation.Result.Loss) ? validation.Result.Loss : double.PositiveInfinity));
        return null;
    }

    /// <summary>The last judgement came before the run held three validation points, so it extended the budget unjudged.</summary>
    public bool TooEarly { get; private set; }

    /// <summary>True when the best loss fell by more than the noise since <paramref name="windowStart"/>, or when the run is too young to tell (fewer than three validation points).</summary>
    public bool BeyondNoise(int windowStart)
    {
        var (beyond, tooEarly, last) = Judge(windowStart);
        (TooEarly, Last) = (tooEarly, last);
        return beyond;
    }

    /// <summary>The judgement of <see cref="BeyondNoise"/> without recording it as the budget's last (another rule asking the same question).</summary>
    public (bool Beyond, bool TooEarly, (double Gain, double Noise, int WindowStart)? Measured) Judge(int windowStart) => Judge(_points, windowStart);

    /// <summary>
    /// The same judgement on a curve recorded elsewhere (an early-stopped trial's evaluations): did the best loss fall by
    /// more than the curve's own jitter since <paramref name="windowStart"/>?
    /// </summary>
    /// <param name="points">(step, validation loss) in step order; a non-finite loss counts as the worst.</param>
    public static (bool Beyond, bool TooEarly, (double Gain, double Noise, int WindowStart)? Measured) Judge(IReadOnlyList<(int Step, double Loss)> points, int windowStart)
    {
        var curve = points.Select(p => (p.Step, Loss: double.IsFinite(p.Loss) ? p.Loss : double.PositiveInfinity)).ToList();
        var finite = curve.Where(p => double.IsFinite(p.Loss)).ToList();
        // fewer than three points in the whole run: too early to tell a plateau from noise (a model whose compute-rule budget
        // is one validation interval, vgg 16 on Fashion-MNIST: 211 steps, stopped after them with 25 minutes left). Not
        // evidence of a plateau, so the budget grows until the curve can be judged; the caller still asks early stopping
        // whether the last point is the best, and the step ceiling and the clock still bound it.
        if (finite.Count < 3) return (true, true, null);
        // a window with fewer than three points cannot measure its own jitter (a large model's first budget on Fashion-MNIST
        // spans two validation points): widen it back to the last three, so the budget is judged rather than never extended
        if (finite.Count(p => p.Step >= windowStart) < 3) windowStart = Math.Min(windowStart, finite[^3].Step);
        var before = curve.Where(p => p.Step <= windowStart).Select(p => p.Loss).DefaultIfEmpty(double.PositiveInfinity).Min();
        var window = finite.Where(p => p.Step >= windowStart).Select(p => p.Loss).ToList();
        if (window.Count < 3 || !double.IsFinite(before)) return (false, false, null);
        double gain = before - window.Min();
        double noise = Jitter(window);
        return (gain > noise, false, (gain, noise, windowStart));
    }

    /// <summary>The per-point noise of a curve: the standard deviation of its detrended successive changes, over √2.</summary>
    public static double Jitter(IReadOnlyList<double> losses)
    {
        var changes = Enumerable.Range(1, losses.Count - 1).Select(i => losses[i] - losses[i - 1]).ToList();
        double trend = changes.Average();
        double variance = changes.Count > 1 ? changes.Sum(c => (c - trend) * (c - trend)) / (changes.Count - 1) : 0;
        return Math.Sqrt(variance / 2);
    }

    /// <summary>Why the budget was not extended, or why it was, in words.</summary>
    public string Describe() => Last is { } last
        ? $"validation gained {last.Gain:G3} since step {last.WindowStart} against a noise of {last.Noise:G3}"
        : TooEarly ? "fewer than three validation points: too early to tell a plateau from noise"
        : "too few validation points to measure a gain";
}
