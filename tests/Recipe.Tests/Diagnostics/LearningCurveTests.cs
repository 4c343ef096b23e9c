using Recipe.Diagnostics;
using Xunit.Abstractions;

namespace Recipe.Tests.Diagnostics;

public class LearningCurveTests(ITestOutputHelper output)
{
    [Fact]
    public void Given_data_where_more_examples_help_When_measured_Then_error_falls_with_size_and_the_fit_says_twice_the_data_helps()
    {
        // 10 close blobs in 20 dimensions: 8 examples per class are too few to place the boundaries, 80 are enough to do much better
        var data = DiagnosticsTestData.Blobs(classes: 10, features: 20, train: 800, validation: 500, separation: 0.6);
        var options = new LearningCurveOptions { Fractions = [0.1, 0.25, 1.0], Seeds = 1, MaxSteps = 300 };

        var report = LearningCurve.Measure(DiagnosticsTestData.TablePipeline(data), options);

        foreach (var p in report.Points) output.WriteLine($"{p.Size} examples: error {p.Error:P1}, loss {p.Loss:F3}, {p.Steps} steps");
        Assert.Equal([80, 200, 800], report.Points.Select(p => p.Size));
        Assert.True(report.Points[^1].Error < report.Points[0].Error - 0.05, "error at 100 % vs 10 %");
        var twice = report.TwiceTheData!.Value;
        output.WriteLine($"fit exponent {report.Estimate!.Fit.Exponent:F2}; now {twice.Now:P1}, doubled {twice.Doubled:P1} ({twice.DoubledLow:P1}–{twice.DoubledHigh:P1})");
        Assert.True(report.Estimate.Fit.Exponent > 0);
        Assert.True(twice.Doubled < twice.Now);
    }

    [Fact]
    public void Given_labels_that_carry_no_signal_When_measured_Then_the_fitted_curve_is_flat()
    {
        var data = DiagnosticsTestData.Blobs(classes: 10, features: 20, train: 800, validation: 500, separation: 0.6);
        var random = DiagnosticsTestData.RandomLabels(data);
        var options = new LearningCurveOptions { Fractions = [0.1, 0.25, 1.0], Seeds = 1, MaxSteps = 300 };

        var report = LearningCurve.Measure(DiagnosticsTestData.TablePipeline(random), options);

        foreach (var p in report.Points) output.WriteLine($"{p.Size} examples: error {p.Error:P1}");
        output.WriteLine($"fit exponent {report.Estimate!.Fit.Exponent:F3}");
        Assert.InRange(report.Estimate.Fit.Exponent, -0.05, 0.05);
    }

    [Fact]
    public void Given_full_size_trainings_measured_already_When_measured_Then_they_are_the_full_size_points_and_only_the_subsets_are_trained()
    {
        var data = DiagnosticsTestData.Blobs(classes: 10, features: 20, train: 800, validation: 500, separation: 0.6);
        LearningCurvePoint[] measured = [new(800, 1, 0.20, 0.70, 300), new(800, 2, 0.22, 0.72, 280)];
        var options = new LearningCurveOptions { Fractions = [0.1, 0.25, 1.0], Seeds = 2, MaxSteps = 300, FullSizePoints = measured };
        var trained = new List<string>();

        var report = LearningCurve.Measure(DiagnosticsTestData.TablePipeline(data), options, trained.Add);

        foreach (var p in report.Points) output.WriteLine($"{p.Size} examples, seed {p.Seed}: error {p.Error:P1}");
        Assert.Equal([80, 80, 200, 200, 800, 800], report.Points.Select(p => p.Size)); // size by size, smallest first
        Assert.Equal(4, trained.Count);
        Assert.Equal(measured, report.Points.Where(p => p.Size == 800));
        Assert.Equal(2, report.Reused);
        Assert.Null(report.Cut);
        Assert.NotNull(report.Estimate);
    }

    [Fact]
    public void Given_a_time_allowed_below_one_training_When_measured_Then_nothing_is_trained_and_the_report_says_what_was_cut()
    {
        var data = DiagnosticsTestData.Blobs(classes: 10, features: 20, train: 800, validation: 500, separation: 0.6);
        LearningCurvePoint[] measured = [new(800, 1, 0.20, 0.70, 300)];
        var options = new LearningCurveOptions
        {
            Fractions = [0.1, 0.25, 1.0], Seeds = 2, MaxSteps = 300, FullSizePoints = measured,
            TimeAllowed = TimeSpan.FromSeconds(30), PredictedTrainingSeconds = 60,
        };
        var trained = new List<string>();

        var report = LearningCurve.Measure(DiagnosticsTestData.TablePipeline(data), options, trained.Add);

        output.WriteLine(report.Cut);
        Assert.Empty(trained);
        Assert.Equal(measured, report.Points); // the free points are kept
        Assert.Contains("from 80 examples", report.Cut);
        Assert.Null(report.Estimate); // one size fits no power law
    }
}
