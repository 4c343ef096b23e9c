using Recipe.Checks;

namespace Recipe.Tests.Checks;

/// <summary>
/// The whole stage-2 suite on correct pipelines in shapes Recipe's own pipelines never take: no check may fail or
/// error on them (a warning or a skip with its reason is allowed). The whole suite per case: Integration.
/// </summary>
[Trait("Category", "Integration")]
public class ShapeSuiteTests
{
    public static TheoryData<string> CorrectPipelines => ["flattened images into an MLP", "one-hot text", "image regression", "four classes, label-true flip"];

    static Pipeline Make(string name) => name switch
    {
        "flattened images into an MLP" => CheckTestData.FashionPipeline() with { Transform = stored => CheckTestData.FashionNormalizer.Apply(stored).flatten(1) },
        "one-hot text" => ShapeTestData.OneHotVariedWords(),
        "image regression" => ShapeTestData.ImagePipeline(ShapeTestData.BarColumn()),
        _ => ShapeTestData.ImagePipeline(ShapeTestData.FourSides()) with
        {
            Augment = (inputs, targets) =>
            {
                var flip = TorchSharp.torch.rand(inputs.shape[0]).lt(0.5);
                var swapped = TorchSharp.torch.where(targets.lt(2), targets.neg().add(1), targets);
                return (TorchSharp.torch.where(flip.reshape(-1, 1, 1, 1), inputs.flip(3), inputs), TorchSharp.torch.where(flip, swapped, targets));
            },
        },
    };

    [Theory]
    [MemberData(nameof(CorrectPipelines))]
    public void Given_a_correct_pipeline_in_another_shape_When_the_whole_suite_runs_Then_no_check_fails_or_errors(string name)
    {
        var result = CheckSuite.Run(Make(name), CheckOptions.Quick);

        var alarms = result.Checks.Where(c => c.Verdict is Verdict.Fail or Verdict.Error).Select(c => $"{c.Id}: {c.Verdict.Name()}: {c.Finding}").ToList();
        Assert.True(alarms.Count == 0, $"{name}:\n{string.Join("\n", alarms)}");
    }
}
