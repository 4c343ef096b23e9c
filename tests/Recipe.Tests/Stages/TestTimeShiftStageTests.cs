using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Interop;
using Recipe.Models;
using Recipe.Reporting;
using Recipe.Stages;
using Recipe.Tests.Support;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Stages;

/// <summary>
/// The stage that asks a model trained on shifted images about shifted copies of each one, and keeps the copies only
/// when validation confirms the gain. Hand-built models make the two cases exact: one whose per-pixel quirks differ
/// between copies (their mean cancels them), one whose answer depends on the exact column (the copies contradict it).
/// </summary>
public class TestTimeShiftStageTests
{
    const int Side = 8;

    /// <summary>1×8×8 images from <paramref name="make"/>, 2 classes; the splits share the generator so every image differs.</summary>
    static Dataset Images(Func<Random, (float[] Pixels, long Label)> make, int validation = 400)
    {
        var random = new Random(7);
        DataSplit Split(string name, int count)
        {
            var examples = Enumerable.Range(0, count).Select(_ => make(random)).ToList();
            return new DataSplit(name, tensor(examples.SelectMany(e => e.Pixels).ToArray()).reshape(count, 1, Side, Side), tensor(examples.Select(e => e.Label).ToArray()));
        }
        return new Dataset
        {
            Name = "tiny images", Source = "synthetic", Format = DataFormat.Idx, Task = TaskKind.Classification, ClassNames = ["0", "1"],
            ExampleShape = [1, Side, Side], Train = Split("train", 32), Validation = Split("validation", validation), Test = Split("test", 32),
        };
    }

    /// <summary>Recipe's pipeline for the images, trained (by assumption) with the shift augmentation.</summary>
    static Pipeline Shifted(Dataset data, InputNormalizer identity) =>
        Pipeline.Default(data, identity, "mlp").WithKnobs(new Dictionary<string, string> { [DefaultKnobs.Augment] = DefaultKnobs.AugmentShift });

    /// <summary>A linear classifier on the flattened image whose class-1 logit weighs pixel (r, c) by <paramref name="weight"/>.</summary>
    static nn.Module<Tensor, Tensor> Linear(Func<int, int, float> weight)
    {
        var linear = nn.Linear(Side * Side, 2);
        using (no_grad())
        {
            linear.weight!.zero_();
            linear.bias!.zero_();
            for (int r = 0; r < Side; r++)
                for (int c = 0; c < Side; c++)
                    linear.weight[1, r * Side + c] = tensor(weight(r, c));
        }
        var model = nn.Sequential(nn.Flatten(), linear);
        model.eval();
        return model;
    }

    static (TestTimeShiftOutcome Outcome, Experiment Experiment, TestTimeShifts? Model) Weigh(Dataset data, nn.Module<Tensor, Tensor> model)
    {
        using var identity = InputNormalizer.Identity();
        var pipeline = Shifted(data, identity);
        var views = TestTimeShiftStage.Views(pipeline)!.Value;
        var plain = Evaluation.Run(model, data.Validation, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        return TestTimeShiftStage.Weigh(pipeline, model, plain, views, experimentNumber: 9);
    }

    [Fact]
    public void Given_a_model_whose_pixel_quirks_differ_between_shifted_copies_When_weighed_Then_the_mean_over_the_copies_is_kept()
    {
        // label: the sign of a faint offset every pixel shares (under pixel noise) — no translation changes it; the model
        // weighs each pixel with its own large error, which a shifted copy meets at another pixel
        using var data = Images(random =>
        {
            long label = random.Next(2);
            float offset = label == 1 ? 0.25f : -0.25f;
            return ([.. Enumerable.Range(0, Side * Side).Select(_ => offset + (float)Gaussian(random))], label);
        });
        var quirks = new Random(11);
        var weights = Enumerable.Range(0, Side * Side).Select(_ => (float)(0.3 * (1 + 2 * Gaussian(quirks)))).ToArray();
        using var model = Linear((r, c) => weights[r * Side + c]);

        var (outcome, experiment, shifted) = Weigh(data, model);

        Assert.True(outcome.Kept, experiment.Reason);
        Assert.Equal(ExperimentVerdict.Confirmed, outcome.Verdict);
        Assert.NotNull(shifted);
        Assert.Same(model, shifted!.Inner);
        Assert.Equal(1, outcome.Step); // a third of the largest training shift of an 8-pixel side, at least a pixel
        Assert.Equal(9, outcome.Views);
        Assert.True(outcome.ShiftedValidationLoss < outcome.ValidationLoss - VerdictRule.NoiseBand(outcome.Sigma), experiment.Reason);
        Assert.Equal(TestTimeShiftStage.StageName, experiment.Stage);
        Assert.True(experiment.Kept);
    }

    [Fact]
    public void Given_a_label_that_depends_on_the_exact_column_When_weighed_Then_the_copies_are_refuted_and_the_model_answers_alone()
    {
        // the fault: a label no translation keeps (is the bright pixel in an even column?); a model that gets it right,
        // asked about copies moved by a column, hears the opposite answer from six of the nine
        using var data = Images(random =>
        {
            int row = random.Next(Side), column = random.Next(1, Side - 1);
            var pixels = new float[Side * Side];
            pixels[row * Side + column] = 1;
            return (pixels, column % 2 == 0 ? 1 : 0);
        });
        using var model = Linear((r, c) => c % 2 == 0 ? 4f : -4f);

        var (outcome, experiment, shifted) = Weigh(data, model);

        Assert.False(outcome.Kept);
        Assert.Equal(ExperimentVerdict.Refuted, outcome.Verdict);
        Assert.Null(shifted);
        Assert.True(outcome.ShiftedValidationLoss > outcome.ValidationLoss, experiment.Reason);
        Assert.Contains("answers alone", experiment.Reason);
    }

    [Fact]
    public void Given_pipelines_not_trained_on_recipes_shifted_images_When_asked_for_views_Then_there_are_none()
    {
        using var identity = InputNormalizer.Identity();
        using var images = Images(random => (new float[Side * Side], random.Next(2)), validation: 4);
        using var table = TinyTables.NoisyTwoClass(train: 16, validation: 8, noise: 0.1);

        Assert.Null(TestTimeShiftStage.Views(Pipeline.Default(images, identity, "mlp"))); // augment off
        Assert.Null(TestTimeShiftStage.Views(Pipeline.Default(table, identity, "mlp")));
        var mirrored = Pipeline.Default(images, identity, "mlp").WithKnobs(new Dictionary<string, string> { [DefaultKnobs.Augment] = DefaultKnobs.AugmentShiftFlip });
        Assert.Equal((1, true), TestTimeShiftStage.Views(mirrored));
    }

    [Fact]
    public void Given_an_ensemble_that_may_answer_over_shifted_copies_When_its_members_plan_their_time_Then_the_copies_evaluation_is_held_back_for_every_member()
    {
        using var identity = InputNormalizer.Identity();
        using var images = Images(random => (new float[Side * Side], random.Next(2)), validation: 4);

        var five = TestTimeShiftStage.EvaluationReserve(Shifted(images, identity), models: 5, secondsPerModelPass: 0.2);
        var ten = TestTimeShiftStage.EvaluationReserve(Shifted(images, identity), models: 10, secondsPerModelPass: 0.2);
        var none = TestTimeShiftStage.EvaluationReserve(Pipeline.Default(images, identity, "mlp"), models: 5, secondsPerModelPass: 0.2);

        Assert.True(five > TimeSpan.FromSeconds(9 * 5 * 0.2), "at least one pass of every copy through every member");
        Assert.Equal(2 * five.TotalSeconds, ten.TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, none);
    }

    [Fact]
    public void Given_a_run_trained_with_shifts_When_run_to_the_end_Then_the_stage_reports_and_model_json_carries_what_was_kept()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), trainCount: 240, testCount: 40, rows: 8, columns: 8, classes: 2);
        var dir = temp.Combine("run");
        var options = new RunOptions
        {
            Data = idx, Out = dir, Model = "mlp", SkipInspect = true, SkipChecks = true, SkipOverfit = true, SkipRegularize = true,
            Knobs = new Dictionary<string, string> { [DefaultKnobs.Augment] = DefaultKnobs.AugmentShift },
        };

        RunStage.Execute(options);

        var summary = Summary.Load(Path.Combine(dir, "summary.json"));
        var shifts = summary["test_time_shifts"];
        Assert.True(shifts is not null, $"skipped: {summary["stages_skipped"]?.ToJsonString()}");
        bool kept = (bool)shifts!["kept"]!;
        Assert.Single(summary["experiments"]!.AsArray(), e => (string?)e!["stage"] == TestTimeShiftStage.StageName);
        var card = ModelCard.Load(dir);
        Assert.Equal(kept, card.TestTimeShifts is not null);
        Assert.Equal(kept, summary["metrics"]!["without_test_time_shifts_test_loss"] is not null);
        using var loaded = card.LoadModel(dir);
        Assert.Equal(kept, loaded is TestTimeShifts);
        Assert.Contains("Test-time shifts", File.ReadAllText(Path.Combine(dir, "report.html")));
    }

    static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
