using System.Text.Json;
using Recipe.Cli;
using Recipe.Tests.Support;

namespace Recipe.Tests.Cli;

/// <summary>`recipe run --init-from`: fine-tuning starts from a checkpoint; a bad checkpoint stops the run before any work.</summary>
public class InitFromTests
{
    static string[] Run(string data, string output, params string[] extra) =>
        ["run", "--data", data, "--out", output, "--epochs", "1", "--skip-inspect", "--skip-checks", .. extra];

    [Fact]
    public void Given_a_finished_run_When_a_new_run_starts_from_it_Then_the_model_card_records_the_source_and_its_normalization()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 90, 30, rows: 8, columns: 8);
        Assert.Equal(0, CliRun.Of(Run(idx, temp.Combine("first"))).ExitCode);

        var second = CliRun.Of(Run(idx, temp.Combine("second"), "--init-from", temp.Combine("first")));

        Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}: {second.Stderr}");
        using var card = JsonDocument.Parse(File.ReadAllText(temp.Combine("second", "model.json")));
        Assert.Equal(temp.Combine("first"), card.RootElement.GetProperty("init_from").GetString());
        Assert.Equal(1, card.RootElement.GetProperty("pretrained_input").GetProperty("mean").GetArrayLength());
        Assert.Contains("--init-from", File.ReadAllText(temp.Combine("second", "report.html")));
    }

    [Fact]
    public void Given_a_truncated_checkpoint_When_starting_from_it_Then_one_line_exit_2_and_no_run_folder_that_looks_complete()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 90, 30, rows: 8, columns: 8);
        Assert.Equal(0, CliRun.Of(Run(idx, temp.Combine("first"))).ExitCode);
        var whole = File.ReadAllBytes(temp.Combine("first", "model.pt"));
        File.WriteAllBytes(temp.Combine("cut.pt"), whole[..(whole.Length * 2 / 3)]);

        var run = CliRun.Of(Run(idx, temp.Combine("second"), "--init-from", temp.Combine("cut.pt")));

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        Assert.Contains("cut.pt: content: expected a complete PyTorch state_dict", Assert.Single(run.StderrLines));
        Assert.False(File.Exists(temp.Combine("second", "model.json")));
        Assert.False(File.Exists(temp.Combine("second", "summary.json")));
    }

    [Fact]
    public void Given_a_checkpoint_of_another_architecture_When_starting_from_it_Then_the_differences_are_named_and_exit_2()
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 90, 30, rows: 8, columns: 8);
        // without stage 3, whose capacity ladder may climb from the mlp to a cnn: the checkpoint must hold an mlp
        Assert.Equal(0, CliRun.Of(Run(idx, temp.Combine("mlp"), "--model", "mlp", "--skip-overfit")).ExitCode);

        var run = CliRun.Of(Run(idx, temp.Combine("cnn"), "--model", "cnn", "--init-from", temp.Combine("mlp")));

        Assert.Equal(ErrorReporter.BadInput, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.Contains("missing from the file (_conv1.weight", line);
        Assert.Contains("unexpected in the file", line);
    }

    /// <summary>The verdict of inputs-at-the-door in a run's summary.json.</summary>
    static string DoorVerdict(string runFolder)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")));
        return summary.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("id").GetString() == "inputs-at-the-door").GetProperty("verdict").GetString()!;
    }

    [Theory]
    [InlineData(false, "pass")] // the sidecar holds the statistics the weights were trained with, which this pipeline also fits
    [InlineData(true, "fail")]  // the sidecar says the weights saw ImageNet-normalized pixels: this pipeline's transform differs
    public void Given_a_checkpoint_whose_sidecar_records_its_normalization_When_fine_tuning_with_the_checks_Then_inputs_at_the_door_compares_the_transform_with_it(bool otherNormalization, string verdict)
    {
        using var temp = new TempFolder();
        var idx = TinyData.WriteIdxFolder(temp.Combine("idx"), 90, 30, rows: 8, columns: 8);
        Assert.Equal(0, CliRun.Of(Run(idx, temp.Combine("first"))).ExitCode);
        var checkpoint = temp.Combine("first", "model.pt");
        var own = Recipe.Interop.ModelCard.Load(temp.Combine("first")).Input!;
        (otherNormalization ? new Recipe.Interop.InputNormalization([0.485], [0.229], 1, "ImageNet red channel") : own).SaveSidecar(checkpoint);

        CliRun.Of("run", "--data", idx, "--out", temp.Combine("second"), "--epochs", "1", "--skip-inspect", "--quick-checks", "--init-from", checkpoint);

        Assert.Equal(verdict, DoorVerdict(temp.Combine("second")));
    }
}
