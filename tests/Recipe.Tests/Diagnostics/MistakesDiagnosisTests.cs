using Recipe.Diagnostics;
using Recipe.Tests.Checks;
using Recipe.Training;

namespace Recipe.Tests.Diagnostics;

public class MistakesDiagnosisTests
{
    [Fact]
    public void Given_a_trained_image_model_When_diagnosed_Then_validation_gets_a_confusion_matrix_a_thumbnail_gallery_and_layer_statistics()
    {
        var pipeline = CheckTestData.FashionPipeline();
        var (model, training) = ShortTraining.Run(pipeline, pipeline.Data.Train, new ShortTrainingSpec(40, EarlyStopping: true), seed: 0);
        using (model)
        {
            var report = MistakesDiagnosis.Run(model, pipeline, new MistakesOptions { GalleryCount = 12 }, training);

            Assert.Equal("validation", report.Split);
            Assert.Equal(pipeline.Data.Validation.Count, report.Confusion!.Total);
            Assert.Equal(12, report.HighestLoss.Count);
            Assert.NotNull(report.HighestLossGallery.Thumbnails);
            Assert.Equal(report.HighestLoss.Select(m => m.Index), report.HighestLossGallery.Items.Select(i => i.Index));
            Assert.Single(report.Activations);                         // the MLP's hidden layer (the output layer is left out)
            Assert.Null(report.Filters);                               // no convolution
            Assert.Null(report.LabelErrors);                           // opt-in
            Assert.Null(report.LearningCurve);                         // opt-in
        }
    }

    [Fact]
    public void Given_an_ensemble_answering_over_shifted_copies_When_diagnosed_Then_the_layers_are_the_first_models_each_once()
    {
        var pipeline = CheckTestData.FashionPipeline();
        var (first, training) = ShortTraining.Run(pipeline, pipeline.Data.Train, new ShortTrainingSpec(40, EarlyStopping: false), seed: 0);
        var (second, _) = ShortTraining.Run(pipeline, pipeline.Data.Train, new ShortTrainingSpec(40, EarlyStopping: false), seed: 1);
        var alone = MistakesDiagnosis.Run(first, pipeline, new MistakesOptions(), training).Activations;
        using var answering = new Recipe.Models.TestTimeShifts(new Recipe.Models.Ensemble([first, second], pipeline.Data.Task),
            pipeline.Data.ExampleShape, step: 1, mirror: false, pipeline.Data.Task);

        var layers = MistakesDiagnosis.Run(answering, pipeline, new MistakesOptions(), training).Activations;

        // 2 members × 9 copies ran every layer 18 times: still one row per layer of one model, and no member's logits
        Assert.Equal(alone.Select(l => (l.Kind, l.Units, l.DeadUnits)), layers.Select(l => (l.Kind, l.Units, l.DeadUnits)));
        Assert.Equal(alone.Select(l => l.Mean), layers.Select(l => l.Mean), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Given_a_table_When_diagnosed_with_label_errors_on_Then_suspects_come_with_a_gallery_of_rows()
    {
        var (noisy, flipped) = DiagnosticsTestData.FlipLabels(DiagnosticsTestData.Blobs(train: 400, validation: 200), 0.05);
        var pipeline = DiagnosticsTestData.TablePipeline(noisy);
        var (model, training) = ShortTraining.Run(pipeline, noisy.Train, new ShortTrainingSpec(150, EarlyStopping: true), seed: 0);
        using (model)
        {
            var report = MistakesDiagnosis.Run(model, pipeline, new MistakesOptions { LabelErrors = new LabelErrorOptions() }, training);

            Assert.NotNull(report.LabelErrors);
            Assert.True(report.LabelErrors!.StepsPerFold <= training.Steps); // each fold no longer than the final run
            Assert.Null(report.SuspectGallery!.Thumbnails);                 // rows, not pictures
            Assert.Equal(report.LabelErrors.Suspects.Select(s => s.Index), report.SuspectGallery.Items.Select(i => i.Index));
            Assert.Contains(report.LabelErrors.Suspects, s => flipped.Contains(s.Index));
        }
    }

    [Fact]
    public void Given_a_text_model_When_diagnosed_Then_there_are_samples_and_surprising_tokens_and_no_confusion_matrix()
    {
        var pipeline = CheckTestData.WordsPipeline();
        var (model, training) = ShortTraining.Run(pipeline, pipeline.Data.Train, new ShortTrainingSpec(30, EarlyStopping: false), seed: 0);
        using (model)
        {
            var report = MistakesDiagnosis.Run(model, pipeline, new MistakesOptions { Samples = 4, GalleryCount = 5 }, training);

            Assert.Null(report.Confusion);
            Assert.Equal(4, report.Samples.Count);
            Assert.Equal(5, report.TokenMistakes.Count);
            Assert.NotEmpty(report.Activations);
        }
    }
}
