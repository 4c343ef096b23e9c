using System.Text.Json;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Stages;
using Recipe.Tests.Support;

namespace Recipe.Tests.Stages;

/// <summary>Stage 3 as fine-tuning (`--init-from`), through the stage list of `recipe run` via the library API, on a tiny table.</summary>
public class FineTuneStageTests
{
    static RunOptions Options(string csv, string output) => new()
    {
        Data = csv, Out = output, Seed = 3, SkipInspect = true, SkipChecks = true, Epochs = 1,
    };

    [Fact]
    public void Given_a_pretrained_checkpoint_When_run_fine_tunes_from_it_Then_every_trial_starts_from_its_weights_lower_than_from_scratch()
    {
        using var temp = new TempFolder();
        var csv = TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv"));
        // the checkpoint: the same table trained long enough to be far better than a fresh model
        RunStage.Execute(Options(csv, temp.Combine("pretrained")) with { Epochs = 30, LearningRate = 1e-2, SkipOverfit = true });

        var outcome = RunStage.Execute(Options(csv, temp.Combine("tuned")) with { InitFrom = temp.Combine("pretrained") });

        using var summary = JsonDocument.Parse(File.ReadAllText(temp.Combine("tuned", "summary.json")));
        var tune = summary.RootElement.GetProperty("fine_tune");
        double pretrained = tune.GetProperty("pretrained_loss_at_init").GetDouble(), scratch = tune.GetProperty("scratch_loss_at_init").GetDouble();
        Assert.True(pretrained < 0.5 * scratch, $"loss before any step: {pretrained} with the checkpoint, {scratch} from scratch");

        // the baseline trial, measured against a scratch trial of the same skeleton, steps and seed computed here
        using var data = DataSpec.Load(csv);
        using var normalizer = InputNormalizer.FitTo(data);
        var (skeleton, _) = RunStage.Skeleton(Options(csv, temp.Combine("unused")), data, normalizer);
        var fromScratch = Trial.Run(skeleton, 3, tune.GetProperty("trial_steps").GetInt32());
        double baseline = tune.GetProperty("baseline_train_loss").GetDouble();
        Assert.True(baseline < 0.5 * fromScratch.TrainLoss, $"after the trial's steps: {baseline} from the checkpoint, {fromScratch.TrainLoss} from scratch");

        // the ladder was not climbed; the learning-rate experiments ran from the checkpoint
        Assert.Contains(tune.GetProperty("skipped").EnumerateArray(), s => s.GetString()!.StartsWith("capacity ladder: the architecture is the checkpoint's"));
        Assert.NotEmpty(outcome.Experiments);
        Assert.All(outcome.Experiments, e =>
        {
            Assert.Equal(FineTuning.StageName, e.Stage);
            Assert.Equal("learning-rate", e.Kind);
            Assert.Equal(temp.Combine("pretrained"), e.InitializedFrom);
        });
        Assert.Null(outcome.Overfit); // the overfit stage left stage 3 to fine-tuning
        Assert.Contains("Stage 3: fine-tuning", File.ReadAllText(temp.Combine("tuned", "report.html")));
        Assert.DoesNotContain("Stage 3 was skipped", File.ReadAllText(temp.Combine("tuned", "report.html")));
    }
}
