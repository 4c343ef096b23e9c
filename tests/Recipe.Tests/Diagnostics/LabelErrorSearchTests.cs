using Recipe.Diagnostics;
using Xunit.Abstractions;

namespace Recipe.Tests.Diagnostics;

public class LabelErrorSearchTests(ITestOutputHelper output)
{
    static readonly LabelErrorOptions Short = new() { Folds = 4, StepsPerFold = 300 };

    [Fact]
    public void Given_5_percent_of_training_labels_flipped_When_searched_Then_most_flips_are_found_and_few_clean_labels_are_accused()
    {
        var (noisy, flipped) = DiagnosticsTestData.FlipLabels(DiagnosticsTestData.Blobs(), 0.05);

        var report = LabelErrorSearch.Run(DiagnosticsTestData.TablePipeline(noisy), Short);

        var found = report.Suspects.Count(s => flipped.Contains(s.Index));
        double recall = found / (double)flipped.Count, precision = found / (double)Math.Max(1, report.Suspects.Count);
        output.WriteLine($"flipped {flipped.Count}, suspects {report.Suspects.Count}, recall {recall:P0}, precision {precision:P0}, " +
                         $"out-of-sample accuracy {report.OutOfSampleAccuracy:P1}, {report.Elapsed.TotalSeconds:F1} s");
        Assert.True(report.Reliable);
        Assert.True(recall >= 0.7, $"recall {recall:P0}");
        Assert.True(precision >= 0.7, $"precision {precision:P0}");
    }

    [Fact]
    public void Given_the_clean_twin_When_searched_Then_few_labels_are_suspected()
    {
        var clean = DiagnosticsTestData.Blobs();

        var report = LabelErrorSearch.Run(DiagnosticsTestData.TablePipeline(clean), Short);

        output.WriteLine($"suspects {report.Suspects.Count} of {clean.Train.Count}, out-of-sample accuracy {report.OutOfSampleAccuracy:P1}");
        // the flipped twin plants 40; the clean data's own overlap between blobs may give a handful
        Assert.True(report.Suspects.Count <= 0.01 * clean.Train.Count, $"{report.Suspects.Count} suspects");
    }

    [Fact]
    public void Given_suspects_When_written_Then_the_csv_has_one_row_per_suspect_with_split_index_labels_and_probability()
    {
        var (noisy, _) = DiagnosticsTestData.FlipLabels(DiagnosticsTestData.Blobs(train: 200, validation: 100), 0.1);
        var report = LabelErrorSearch.Run(DiagnosticsTestData.TablePipeline(noisy), Short with { StepsPerFold = 100 });
        var path = Path.Combine(Path.GetTempPath(), $"suspected-{Guid.NewGuid():N}.csv");
        try
        {
            report.WriteCsv(path, noisy.Train);
            var lines = File.ReadAllLines(path);
            Assert.Equal("split,index,source_index,origin,given_label,suspected_label,probability,given_probability", lines[0]);
            Assert.Equal(report.Suspects.Count + 1, lines.Length);
            var first = report.Suspects[0];
            Assert.StartsWith($"train,{first.Index},", lines[1]);
            Assert.Contains($",class{first.Given},class{first.Suspected},", lines[1]);
        }
        finally { File.Delete(path); }
    }
}
