using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// What a check runs against: the pipeline, the budgets, the seed, and experiments that several checks
/// share (computed once, on first use; a shared experiment that throws makes each check that needs it
/// an error). Dispose it to free the shared models.
/// </summary>
public sealed class CheckContext : IDisposable
{
    readonly Lazy<ShortRun> _baseRun;
    readonly Lazy<ShortRun> _inputIndependentRun;
    readonly Lazy<ShortRun?> _largerRun;
    readonly Dictionary<string, TimeSpan> _sharedRunTimes = [];
    readonly Dictionary<string, TimeSpan> _sharedRunCpuTimes = [];

    public CheckContext(Pipeline pipeline, CheckOptions? options = null, IProgressSink? progress = null)
    {
        Native.TorchRuntime.EnsureLoadable();
        Pipeline = pipeline;
        Options = options ?? new CheckOptions();
        Progress = progress ?? NullProgress.Instance;
        Seed = Options.Seed ?? pipeline.Training.Seed;
        // Made here, not lazily: a lazy split first touched inside a training step's dispose scope would be freed with it.
        TrainProbe = First(Data.Train, Options.TrainProbeExamples, "train-probe");
        _baseRun = new(() => ShortRunOf("short run",
            new RunSpec("short run", Options.ShortRunSteps) { BatchSize = Options.ShortRunBatchSize }, recordDynamics: true, probeAtCapacitySteps: true));
        _inputIndependentRun = new(() =>
        {
            const string name = "input-independent run";
            var (spec, transform, rows) = Measured(name, InputIndependentSpec);
            var run = ShortRunOf(name, spec, recordDynamics: false, probeAtCapacitySteps: false, transform);
            run.RowsNote = rows;
            return run;
        });
        // A fraction of the steps: compared with the short run's training loss measured at the same step, at a fraction of the cost.
        _largerRun = new(() => Pipeline.CreateLargerModel is { } larger
            ? ShortRunOf("larger model run",
                new RunSpec("short run, larger model", CapacitySteps) { BatchSize = Options.ShortRunBatchSize, CreateModel = larger },
                recordDynamics: false, probeAtCapacitySteps: false)
            : null);
    }

    public Pipeline Pipeline { get; }
    public CheckOptions Options { get; }
    public IProgressSink Progress { get; }
    public long Seed { get; }
    public Dataset Data => Pipeline.Data;
    public TaskKind Task => Data.Task;

    /// <summary>The pipeline's model trained for <see cref="CheckOptions.ShortRunSteps"/>, with predictions on a fixed validation batch recorded.</summary>
    public ShortRun BaseRun => _baseRun.Value;
    /// <summary>The same run with every input zeroed just before model(x): what the model learns without looking.</summary>
    public ShortRun InputIndependentRun => _inputIndependentRun.Value;
    /// <summary>
    /// Steps of the larger model's run, and the step at which the short run's training loss is probed for the comparison:
    /// a quarter of the short run. The comparison only warns (capacity-helps), and the larger model costs about twice the
    /// model per step, so at half the short run it was the dearest of the three shared runs (a third of their time) for
    /// a question the early steps already answer: the wider model's loss falls faster from the start.
    /// </summary>
    public int CapacitySteps => Math.Max(1, Options.ShortRunSteps / 4);
    /// <summary>The larger model trained for <see cref="CapacitySteps"/>, or null when the pipeline has none.</summary>
    public ShortRun? LargerRun => _largerRun.Value;
    /// <summary>
    /// Time spent training and evaluating the shared runs so far, by run name. The check that first needs a
    /// shared run pays for it; <see cref="CheckSuite.RunOne(ICheck, CheckContext)"/> books that time apart
    /// from the check's own, so that a check's time is what the check itself costs.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> SharedRunTimes => _sharedRunTimes;
    public TimeSpan SharedRunTime => _sharedRunTimes.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
    /// <summary>
    /// The process's CPU time spent on each shared run, by run name: on a shared machine the wall clock also counts other
    /// people's work, CPU time does not (with one torch thread it is the run's own work plus the runtime's).
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> SharedRunCpuTimes => _sharedRunCpuTimes;
    public TimeSpan SharedRunCpuTime => _sharedRunCpuTimes.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    /// <summary>The first <see cref="CheckOptions.TrainProbeExamples"/> training examples.</summary>
    public DataSplit TrainProbe { get; }

    /// <summary>The pipeline's transform followed by zeroing: same shape and type, no information.</summary>
    public Tensor ZeroedInputs(Tensor stored)
    {
        using var x = Pipeline.Transform(stored);
        return zeros_like(x);
    }

    /// <summary>
    /// The zeroed-input run: on two rows a batch with the output broadcast to the batch's targets when that is exact for the
    /// pipeline's model (<see cref="ZeroedInputRows"/>), else on the whole zeroed batch. The evaluations go the same way.
    /// </summary>
    (RunSpec Spec, Func<Tensor, Tensor> Transform, string Rows) InputIndependentSpec()
    {
        var spec = new RunSpec("short run with zeroed inputs", Options.ShortRunSteps) { BatchSize = Options.ShortRunBatchSize };
        string? whyNot;
        using (var probe = NewModel())
        using (var first = Data.Train.Inputs.narrow(0, 0, 1))
        using (var zeroRow = ZeroedInputs(first))
            whyNot = ZeroedInputRows.WhyNotExact(probe, zeroRow);
        if (whyNot is not null)
            return (spec with { Transform = ZeroedInputs }, ZeroedInputs, $"every row of each batch ({whyNot})");
        Func<Tensor, Tensor> broadcast = stored => ZeroedInputRows.Broadcast(Pipeline.Transform, stored);
        return (spec with { Transform = broadcast, CreateModel = () => new ZeroedInputRows.TwoRowModel(Pipeline.CreateModel()) }, broadcast,
            "two rows a batch, their output broadcast to the batch's targets (identical zeroed rows give identical outputs for this model)");
    }

    /// <summary>Seeds torch with the check seed, then makes a fresh model with the pipeline's (or the given) factory.</summary>
    public nn.Module<Tensor, Tensor> NewModel(Func<nn.Module<Tensor, Tensor>>? factory = null)
    {
        Seeding.Apply(Seed);
        return (factory ?? Pipeline.CreateModel)();
    }

    /// <summary>Trains a fresh model for a few steps with the pipeline's parts (and the spec's replacements) in Recipe's training loop.</summary>
    public TrainedRun Train(RunSpec spec)
    {
        var model = NewModel(spec.CreateModel);
        try
        {
            var split = spec.TrainSplit ?? Data.Train;
            int batchSize = Math.Min(spec.BatchSize ?? Pipeline.Training.BatchSize, split.Count);
            int perEpoch = (split.Count + batchSize - 1) / batchSize;
            var config = Pipeline.Training with
            {
                BatchSize = batchSize,
                Epochs = (spec.Steps + perEpoch - 1) / perEpoch,
                MaxSteps = spec.Steps,
                Seed = Seed,
                EvaluateValidation = false,
            };
            using var setup = Pipeline.CreateOptimizer(model.parameters(), Pipeline.Plan);
            using var identity = InputNormalizer.Identity();
            var hooks = new List<ITrainingHook> { new ProgressHook(Progress, spec.Description) };
            if (setup.Schedule is { } schedule) hooks.Add(new LearningRateScheduleHook(schedule));
            hooks.AddRange(spec.Hooks);
            var context = new TrainingContext(model, Data, identity, setup.Optimizer, config)
            {
                Loss = Pipeline.Loss,
                Transform = spec.Transform ?? Pipeline.Transform,
                Augment = spec.Augment ? Pipeline.Augment : null,
                TrainSplit = spec.TrainSplit,
            };
            return new TrainedRun(model, new Trainer(hooks).Fit(context));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Whole-split evaluation with the task's standard loss, through the pipeline's (or the given) transform.</summary>
    public EvaluationResult Evaluate(nn.Module<Tensor, Tensor> model, DataSplit split, Func<Tensor, Tensor>? transform = null) =>
        Evaluation.Run(model, split, Task, transform ?? Pipeline.Transform, StandardLoss, batchSize: 500);

    /// <summary>The task's standard loss (cross-entropy or mean squared error): the yardstick for baselines.</summary>
    public Tensor StandardLoss(Tensor output, Tensor targets) => Losses.For(Task, output, targets);

    /// <summary>The first <paramref name="count"/> examples of a split (all when it is smaller), as a new split.</summary>
    public static DataSplit First(DataSplit split, int count, string name) =>
        split.Subset(name, Enumerable.Range(0, Math.Min(count, split.Count)).Select(i => (long)i).ToArray());

    ShortRun ShortRunOf(string name, RunSpec spec, bool recordDynamics, bool probeAtCapacitySteps, Func<Tensor, Tensor>? transform = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.TotalTime;
        try
        {
            return TrainAndEvaluate(name, spec, recordDynamics, probeAtCapacitySteps, transform);
        }
        finally
        {
            _sharedRunTimes[name] = _sharedRunTimes.GetValueOrDefault(name) + clock.Elapsed;
            _sharedRunCpuTimes[name] = _sharedRunCpuTimes.GetValueOrDefault(name) + (Environment.CpuUsage.TotalTime - cpu);
        }
    }

    ShortRun TrainAndEvaluate(string name, RunSpec spec, bool recordDynamics, bool probeAtCapacitySteps, Func<Tensor, Tensor>? transform)
    {
        PredictionRecorder? recorder = null;
        MidRunProbe? midRun = null;
        if (probeAtCapacitySteps && spec.Steps > CapacitySteps)
        {
            midRun = new MidRunProbe(CapacitySteps, model => Evaluate(model, TrainProbe, transform));
            spec = spec with { Hooks = [.. spec.Hooks, midRun] };
        }
        using var fixedBatch = First(Data.Validation, Options.DynamicsExamples, "dynamics");
        using var fixedInputs = recordDynamics ? Pipeline.Transform(fixedBatch.Inputs) : null;
        if (recordDynamics)
        {
            var trace = Task == TaskKind.Regression
                ? PredictionTrace.OfValues(fixedBatch.Targets.to_type(float64).data<double>().ToArray(), Data.Train.Targets.to_type(float64).std().item<double>())
                : PredictionTrace.OfProbabilities(fixedBatch.Count);
            recorder = new PredictionRecorder(fixedInputs!, fixedBatch.Targets, Task, Math.Max(1, spec.Steps / Math.Max(1, Options.DynamicsSnapshots)), trace);
            spec = spec with { Hooks = [.. spec.Hooks, recorder] };
        }
        var run = Train(spec);
        return new ShortRun(run.Model, run.Training, () => Measured(name, () => Evaluate(run.Model, Data.Validation, transform)),
            () => Measured(name, () => Evaluate(run.Model, TrainProbe, transform)), midRun?.Result, recorder?.Trace);
    }

    /// <summary>A shared run's measurement, taken when first read: its time is booked to the run, its failure names the run.</summary>
    T Measured<T>(string name, Func<T> measure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.TotalTime;
        try
        {
            return measure();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{name}: {e.Message}", e);
        }
        finally
        {
            _sharedRunTimes[name] = _sharedRunTimes.GetValueOrDefault(name) + clock.Elapsed;
            _sharedRunCpuTimes[name] = _sharedRunCpuTimes.GetValueOrDefault(name) + (Environment.CpuUsage.TotalTime - cpu);
        }
    }

    public void Dispose()
    {
        if (_baseRun.IsValueCreated) TryDispose(() => _baseRun.Value);
        if (_inputIndependentRun.IsValueCreated) TryDispose(() => _inputIndependentRun.Value);
        if (_largerRun.IsValueCreated) TryDispose(() => _largerRun.Value);
        TrainProbe.Dispose();
    }

    static void TryDispose(Func<IDisposable?> get)
    {
        try { get()?.Dispose(); }
        catch (Exception) { /* the shared experiment had failed: nothing to free */ }
    }

    /// <summary>Measures the model once, after a given step.</summary>
    sealed class MidRunProbe(int step, Func<nn.Module<Tensor, Tensor>, EvaluationResult> measure) : ITrainingHook
    {
        public EvaluationResult? Result { get; private set; }

        public StopRequest? OnStepEnd(TrainingContext context, StepInfo info)
        {
            if (info.Step == step) Result = measure(context.Model);
            return null;
        }
    }
}
