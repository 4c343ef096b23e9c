using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Models;
using Recipe.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// The zeroed-input run on two rows a batch must be the full-batch run, not an approximation of it: same loss curve, same
/// weights, same validation loss. The detector must send models whose identical rows differ (dropout) to the full batch,
/// and the control shows why: forced onto two rows, such a model trains differently.
/// </summary>
public class ZeroedInputRowsTests(ITestOutputHelper output)
{
    const int Steps = 25;

    [Fact]
    public void Given_an_mlp_When_the_zeroed_run_takes_two_rows_a_batch_Then_it_trains_exactly_as_on_the_whole_batch()
    {
        var pipeline = CheckTestData.FashionPipeline();
        AssertSameRun("MLP", pipeline, lossTolerance: 1e-5, weightTolerance: 1e-5);
    }

    [Fact]
    public void Given_a_cnn_with_batch_norm_When_the_zeroed_run_takes_two_rows_a_batch_Then_it_trains_exactly_as_on_the_whole_batch()
    {
        var pipeline = CheckTestData.FashionPipeline() with { CreateModel = () => new VggBn(1, 28, 28, 10, filters: 4, stages: 2) };
        AssertSameRun("VGG-BN", pipeline, lossTolerance: 1e-5, weightTolerance: 1e-5);
    }

    [Fact]
    public void Given_a_causal_text_model_When_the_zeroed_run_takes_two_rows_a_batch_Then_it_trains_exactly_as_on_the_whole_batch()
    {
        AssertSameRun("causal char-conv", CheckTestData.WordsPipeline(), lossTolerance: 1e-5, weightTolerance: 1e-5);
    }

    [Fact]
    public void Given_models_without_per_example_randomness_When_probed_Then_the_two_row_shortcut_is_exact()
    {
        foreach (var pipeline in new[] { CheckTestData.FashionPipeline(), CheckTestData.WordsPipeline(),
                                         CheckTestData.FashionPipeline() with { CreateModel = () => new VggBn(1, 28, 28, 10, filters: 4, stages: 2) } })
            Assert.Null(Probe(pipeline));
    }

    [Fact]
    public void Given_a_model_with_dropout_When_probed_Then_it_is_not_exact_and_forcing_two_rows_would_change_the_run()
    {
        var pipeline = CheckTestData.FashionPipeline() with { CreateModel = () => new Mlp(784, [32], 10, dropout: 0.2) };
        var why = Probe(pipeline);
        Assert.NotNull(why);
        Assert.Contains("training mode", why);

        // the control: the detector is not vacuous, two rows really would change this model's run
        var (full, twoRows) = BothRuns(pipeline);
        double largest = full.Losses.Zip(twoRows.Losses, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"dropout, forced onto two rows: largest loss difference {largest:G3}");
        Assert.True(largest > 1e-4, $"dropout's run on two rows matched the full batch (largest loss difference {largest:G3})");
    }

    [Fact]
    public void Given_a_model_whose_output_is_not_one_row_per_input_row_When_probed_Then_it_is_not_exact()
    {
        var pipeline = CheckTestData.FashionPipeline() with { CreateModel = () => new BatchMean(new Mlp(784, [8], 10)) };
        Assert.Contains("not one row per input row", Probe(pipeline));
    }

    [Fact]
    public void Given_the_input_independent_check_When_it_runs_Then_its_evidence_says_which_rows_the_zeroed_run_saw()
    {
        var shortcut = CheckAssert.Run(new InputIndependentBaseline(), CheckTestData.FashionPipeline());
        Assert.Contains(shortcut.Evidence.Notes, n => n.Contains("two rows a batch"));
        var dropout = CheckAssert.Run(new InputIndependentBaseline(),
            CheckTestData.FashionPipeline() with { CreateModel = () => new Mlp(784, [32], 10, dropout: 0.2) });
        Assert.Contains(dropout.Evidence.Notes, n => n.Contains("every row of each batch"));
    }

    static string? Probe(Pipeline pipeline)
    {
        using var context = new CheckContext(pipeline, CheckOptions.Quick);
        using var model = context.NewModel();
        using var first = pipeline.Data.Train.Inputs.narrow(0, 0, 1);
        using var zeroRow = context.ZeroedInputs(first);
        return ZeroedInputRows.WhyNotExact(model, zeroRow);
    }

    sealed record Outcome(IReadOnlyList<double> Losses, double[] Weights, double ValidationLoss);

    static (Outcome Full, Outcome TwoRows) BothRuns(Pipeline pipeline)
    {
        using var context = new CheckContext(pipeline, CheckOptions.Quick);
        var spec = new RunSpec("zeroed", Steps) { BatchSize = 32 };
        Func<Tensor, Tensor> broadcast = stored => ZeroedInputRows.Broadcast(pipeline.Transform, stored);
        var full = Run(context, spec with { Transform = context.ZeroedInputs }, context.ZeroedInputs, m => m);
        var twoRows = Run(context, spec with { Transform = broadcast, CreateModel = () => new ZeroedInputRows.TwoRowModel(pipeline.CreateModel()) },
            broadcast, m => ((ZeroedInputRows.TwoRowModel)m).Inner);
        return (full, twoRows);
    }

    static Outcome Run(CheckContext context, RunSpec spec, Func<Tensor, Tensor> transform, Func<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> inner)
    {
        var run = context.Train(spec);
        using var model = run.Model;
        var weights = inner(model).state_dict().OrderBy(p => p.Key)
            .SelectMany(p => p.Value.to_type(float64).flatten().data<double>().ToArray()).ToArray();
        return new Outcome(run.Training.StepLosses, weights, context.Evaluate(model, context.Data.Validation, transform).Loss);
    }

    void AssertSameRun(string name, Pipeline pipeline, double lossTolerance, double weightTolerance)
    {
        var (full, twoRows) = BothRuns(pipeline);
        Assert.Equal(Steps, full.Losses.Count);
        Assert.Equal(full.Losses.Count, twoRows.Losses.Count);
        for (int i = 0; i < full.Losses.Count; i++)
            Assert.True(Math.Abs(full.Losses[i] - twoRows.Losses[i]) <= lossTolerance * Math.Max(1, Math.Abs(full.Losses[i])),
                $"step {i + 1}: full batch {full.Losses[i]:G9}, two rows {twoRows.Losses[i]:G9}");
        Assert.Equal(full.Weights.Length, twoRows.Weights.Length);
        double lossGap = full.Losses.Zip(twoRows.Losses, (a, b) => Math.Abs(a - b)).Max();
        double largest = full.Weights.Zip(twoRows.Weights, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(a))).Max();
        output.WriteLine($"{name}: largest differences: loss {lossGap:G3}, weight {largest:G3}, validation loss {Math.Abs(full.ValidationLoss - twoRows.ValidationLoss):G3} " +
                         $"(loss {full.Losses[0]:G4} → {full.Losses[^1]:G4})");
        Assert.True(largest <= weightTolerance, $"weights differ by up to {largest:G3}");
        Assert.True(Math.Abs(full.ValidationLoss - twoRows.ValidationLoss) <= lossTolerance * Math.Max(1, full.ValidationLoss),
            $"validation loss: full batch {full.ValidationLoss:G9}, two rows {twoRows.ValidationLoss:G9}");
        // the training moved the model: the comparison is not between two untouched inits
        Assert.True(Math.Abs(full.Losses[0] - full.Losses[^1]) > 1e-3, "the zeroed run's loss did not move");
    }

    /// <summary>A model that pools the batch into one row: its output does not have a row per example.</summary>
    sealed class BatchMean : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> inner;
        public BatchMean(nn.Module<Tensor, Tensor> model) : base(nameof(BatchMean))
        {
            inner = model;
            RegisterComponents();
        }
        public override Tensor forward(Tensor x) => inner.call(x).mean([0], keepdim: true);
    }
}
