using System.Diagnostics;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Inspect;
using Recipe.Progress;
using Recipe.Reporting;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>
/// What the stages of one `recipe run` (or `recipe overfit`) share: the data, the pipeline as it stands, the budget,
/// the experiment log, the output folder and report, and each stage's result as it finishes. Owns the data, the
/// normalizer and the trained model.
/// </summary>
public sealed class RunContext : IDisposable
{
    public RunContext(string command, RunOptions options, IProgressSink progress)
    {
        Command = command;
        Options = options;
        Progress = progress;
    }

    public string Command { get; }
    public RunOptions Options { get; }
    public IProgressSink Progress { get; }
    /// <summary>--budget counts from the start of the run.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public PhaseClock Phases { get; } = new();
    public ExperimentLog Experiments { get; } = new();
    public Dictionary<string, double> Metrics { get; } = new();

    // set by the loading step, before any stage
    public Dataset Data { get; set; } = null!;
    public InputNormalizer Normalizer { get; set; } = null!;
    public OutputFolder Output { get; set; } = null!;
    public RunReport Report { get; set; } = null!;
    /// <summary>The checked skeleton (stage 2 audits it); stage 3 starts from it.</summary>
    public Pipeline Skeleton { get; set; } = null!;
    /// <summary>The pipeline as it stands: the skeleton, then stage 3's best.</summary>
    public Pipeline Pipeline { get; set; } = null!;
    /// <summary>The final training run's step budget (<see cref="TrainingLength"/>).</summary>
    public int BudgetSteps { get; set; }

    // each stage's result, null until (unless) it ran
    public InspectOutcome? Inspection { get; set; }
    /// <summary>Stage 1's image fingerprints, kept for stage 2's split-integrity (the same images: not computed twice).</summary>
    public FingerprintHandOff Fingerprints { get; } = new();
    public Stage2Outcome? Checks { get; set; }
    public Stage3Outcome? Overfit { get; set; }
    /// <summary>Stage 3 as fine-tuning (--init-from); null unless it ran.</summary>
    public FineTuneOutcome? FineTune { get; set; }
    public Regularization.Stage4Outcome? Regularize { get; set; }
    public TrainingStory? Training { get; set; }
    public nn.Module<Tensor, Tensor>? Model { get; set; }
    public int ExitCode { get; set; } = ExitCodes.Passed;

    /// <summary>How many stages of the command's list come after the one running (0: it is the last, and may use all the time left).</summary>
    public int StagesAfter { get; set; }
    /// <summary>The linear model weighed against the trained one (tables only); null when the choice did not apply.</summary>
    public SimplerModelOutcome? ModelChoice { get; set; }
    /// <summary>Models trained beside the final one that the ensemble takes as members (<see cref="FullLengthTrialStage"/>); owned by the context until then.</summary>
    public List<TrainedMember> ExtraMembers { get; } = [];
    /// <summary>The ensemble weighed against the first model; null unless members were trained (<see cref="EnsembleStage"/>).</summary>
    public EnsembleOutcome? Ensemble { get; set; }
    /// <summary>Seconds one model of the pipeline (by its description) takes over the validation split: what held-back evaluation is counted in.</summary>
    public (string Pipeline, double Seconds)? ValidationPass { get; set; }
    /// <summary>The final model over shifted copies of each image, weighed on validation; null when the stage did not run.</summary>
    public TestTimeShiftOutcome? TestTimeShifts { get; set; }
    /// <summary>The final model's mistakes on validation; null until that stage ran.</summary>
    public Diagnostics.MistakesReport? Mistakes { get; set; }

    /// <summary>Stages that were in the command's list but did not run, by name, with the reason (summary.json's stages_skipped).</summary>
    public Dictionary<string, string> StagesSkipped { get; } = new();

    /// <summary>Records that a stage did not run, and why.</summary>
    public void SkipStage(string name, string reason) => StagesSkipped[name] = reason;

    /// <summary>Time left of --budget; null when there is none.</summary>
    public TimeSpan? TimeLeft => Options.Budget is { } budget ? budget - Clock.Elapsed : null;

    /// <summary>
    /// The wall time an experimenting stage (3 or 4) may use: with --budget, <paramref name="share"/> of what is left, or
    /// all of it when the stage ends the command (`recipe overfit`, `recipe regularize`); without, the user's override or
    /// the stage's default allowance.
    /// </summary>
    public TimeSpan AllowanceFor(double share, TimeSpan? overridden, TimeSpan defaultAllowance) =>
        TimeLeft is { } left ? TimeSpan.FromSeconds(Math.Max(0, left.TotalSeconds * (StagesAfter == 0 ? 1.0 : share))) : overridden ?? defaultAllowance;

    /// <summary>The model the pipeline builds, in words ("cnn width 16").</summary>
    public string ModelName => Pipeline.Knobs.Declares(DefaultKnobs.Model)
        ? new Models.ModelChoice(Pipeline.Knobs[DefaultKnobs.Model], Pipeline.Knobs.Int(DefaultKnobs.Width), Pipeline.Knobs.Int(DefaultKnobs.Depth)).ToString()
        : Pipeline.Description;

    public void Dispose()
    {
        Model?.Dispose();
        foreach (var member in ExtraMembers) member.Model.Dispose(); // a stage after FullLengthTrialStage stopped the run before the ensemble took them
        if (ModelChoice is { Decision.KeepRicher: true }) ModelChoice.Dispose(); // the linear model lost; when it won it is Model
        if (Skeleton is not null && Skeleton.Data != Data) Skeleton.Data.Dispose(); // regression: the view with standardized targets
        Normalizer?.Dispose();
        Output?.Dispose();
        Data?.Dispose();
        Fingerprints.Dispose();
    }
}
