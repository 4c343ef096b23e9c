using Recipe.Diagnostics;
using Recipe.Reporting;
using Recipe.Tests.Diagnostics;
using Recipe.Training;

namespace Recipe.Tests.Reporting;

public class MistakesSectionTests
{
    [Fact]
    public void Given_a_diagnosis_with_every_part_When_written_Then_the_report_shows_them_and_the_summary_names_them()
    {
        var (noisy, _) = DiagnosticsTestData.FlipLabels(DiagnosticsTestData.Blobs(train: 200, validation: 100), 0.05);
        var pipeline = DiagnosticsTestData.TablePipeline(noisy);
        var (model, training) = ShortTraining.Run(pipeline, noisy.Train, new ShortTrainingSpec(60, EarlyStopping: true), seed: 0);
        using (model)
        {
            var diagnosis = MistakesDiagnosis.Run(model, pipeline, new MistakesOptions
            {
                LabelErrors = new LabelErrorOptions { StepsPerFold = 40 },
                LearningCurve = new LearningCurveOptions { Fractions = [0.25, 1.0], Seeds = 2, MaxSteps = 40 },
            }, training);
            var html = new HtmlReport("t");

            MistakesSection.Write(html, diagnosis);
            var summary = System.Text.Json.Nodes.JsonNode.Parse(Summary.Serialize(MistakesSection.ToSummary(diagnosis)))!;

            var page = html.Render();
            Assert.Contains("confusion matrix", page, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Suspected label errors", page);
            Assert.Contains("twice the data", page);
            Assert.Contains("training and validation loss", page, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(4, summary["confusion_matrix"]!["counts"]!.AsArray().Count);
            Assert.Equal(diagnosis.LabelErrors!.Suspects.Count, (int)summary["suspected_labels"]!["count"]!);
            Assert.Equal("suspected_labels.csv", (string?)summary["suspected_labels"]!["file"]);
            Assert.Equal(4, summary["learning_curve"]!["points"]!.AsArray().Count);
            Assert.NotNull(summary["learning_curve"]!["twice_the_data"]!["error_doubled"]);
            Assert.NotNull(summary["layers"]![0]!["dead_fraction"]);
        }
    }
}
