using Recipe.Interop;
using Recipe.Models;
using Recipe.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Interop;

/// <summary>Checkpoints both ways against real PyTorch and torchvision (Debian's python3-torch, python3-torchvision).</summary>
[Trait("Category", "Integration")]
public class PyTorchInteropTests(Xunit.Abstractions.ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    [PyTorchFact]
    public void Given_torchvision_resnet18_saved_by_PyTorch_When_loaded_into_Recipes_ResNet18_Then_outputs_match()
    {
        using var temp = new TempFolder();
        RealPyTorch.RunScript("torchvision-out", temp.Path);

        using var model = ResNet.ResNet18(outputs: 1000);
        var report = Checkpoint.LoadInto(model, temp.Combine("torchvision-resnet18.pt"));
        model.eval();
        var io = StateDictFile.Read(temp.Combine("io.pt"));
        using var noGrad = no_grad();
        using var y = model.call(io["x"]);

        Assert.True(report.Complete && report.KeptFresh.Count == 0, report.Describe());
        Assert.Equal(122, report.Loaded.Count);
        double gap = y.sub(io["y"]).abs().max().item<float>();
        output.WriteLine($"torchvision resnet18 -> Recipe ResNet-18: max |difference| {gap:E2}");
        Assert.True(gap <= Tolerance, $"max |Recipe − PyTorch| = {gap:E2}");
        // Control: the same architecture with its own random weights is far off, so the match is the weights' doing.
        using var fresh = ResNet.ResNet18(outputs: 1000);
        fresh.eval();
        using var freshY = fresh.call(io["x"]);
        Assert.True(freshY.sub(io["y"]).abs().max().item<float>() > 100 * Tolerance);
    }

    [PyTorchFact]
    public void Given_a_ResNet18_trained_by_Recipe_and_saved_by_Recipe_When_PyTorch_loads_it_strictly_Then_outputs_match()
    {
        using var temp = new TempFolder();
        manual_seed(5);
        using var model = ResNet.ResNet18(outputs: 10);
        // A few real training steps: weights and batch-norm statistics move away from their initialization.
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        using var x = randn(4, 3, 64, 64);
        using var labels = tensor(new long[] { 0, 3, 5, 9 });
        model.train();
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            using var loss = nn.functional.cross_entropy(model.call(x), labels);
            loss.backward();
            optimizer.step();
        }
        model.eval();
        using var noGrad = no_grad();
        using var y = model.call(x);

        StateDictFile.Write(model, temp.Combine("recipe.pt"));
        StateDictFile.Write(model, temp.Combine("recipe.safetensors"));
        StateDictFile.Write(new Dictionary<string, Tensor> { ["x"] = x, ["y"] = y }, temp.Combine("recipe-io.pt"));
        var printed = RealPyTorch.RunScript("check-recipe", temp.Path);

        var gaps = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine($"Recipe ResNet-18 -> PyTorch: {printed.Trim().Replace('\n', ';')}");
        Assert.Equal(["recipe.pt", "recipe.safetensors"], gaps.Keys.Order());
        Assert.All(gaps, gap => Assert.True(gap.Value <= Tolerance, $"{gap.Key}: max |PyTorch − Recipe| = {gap.Value:E2}"));
    }

    [PyTorchFact]
    public void Given_torchvision_resnet18_weights_with_their_ImageNet_sidecar_When_fine_tuning_on_RGB_images_Then_the_body_loads_the_head_starts_fresh_and_predict_uses_the_result()
    {
        using var temp = new TempFolder();
        RealPyTorch.RunScript("torchvision-out", temp.Path);
        var checkpoint = temp.Combine("torchvision-resnet18.pt");
        InputNormalization.TorchvisionImageNet.SaveSidecar(checkpoint);
        var images = TinyData.WriteImageClasses(temp.Combine("images"), ["red", "blue"], [SkiaSharp.SKColors.Red, SkiaSharp.SKColors.Blue], perClass: 10, width: 120, height: 120);

        var run = Recipe.Tests.Support.CliRun.Of("run", "--data", images, "--image-size", "112", "--model", "resnet", "--init-from", checkpoint,
            "--out", temp.Combine("run"), "--epochs", "1", "--skip-inspect", "--skip-checks", "--skip-overfit"); // stage 3 as fine-tuning is FineTuneStageTests' subject, not this one's
        var predict = Recipe.Tests.Support.CliRun.Of("predict", "--model", temp.Combine("run"), "--data", images, "--out", temp.Combine("p.csv"));

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        var card = ModelCard.Load(temp.Combine("run"));
        Assert.Equal(64, card.Width); // torchvision's width, taken from the checkpoint
        Assert.Equal(checkpoint, card.InitFrom);
        Assert.Equal(InputNormalization.TorchvisionImageNet.Mean, card.PretrainedInput!.Mean);
        Assert.True(predict.ExitCode == 0, $"exit {predict.ExitCode}: {predict.Stderr}");
        Assert.Equal(21, File.ReadAllLines(temp.Combine("p.csv")).Length);
    }
}
