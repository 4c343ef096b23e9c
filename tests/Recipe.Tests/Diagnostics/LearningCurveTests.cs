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
}
