using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class ErrorFindingTests
{
    [Fact]
    public void Given_a_libtorch_message_with_its_source_location_and_frames_When_described_Then_only_the_first_meaningful_line_is_kept()
    {
        const string message = "shape '[32, -1]' is invalid for input of size 100\nException raised from infer_size_impl at /pytorch/aten/src/ATen/InferSize.h:48 " +
                               "(most recent call first):\nframe #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x98 (0x7f in libc10.so)\n" +
                               "frame #1: at::infer_size_dv + 0x1c (0x7f in libtorch_cpu.so)";

        var (finding, _) = ErrorFinding.Describe(new ExternalExceptionLike(message), TaskKind.Classification);

        Assert.Equal("the check could not run: ExternalExceptionLike: shape '[32, -1]' is invalid for input of size 100", finding);
    }

    sealed class ExternalExceptionLike(string message) : Exception(message);

    [Fact]
    public void Given_a_sequence_loss_without_ignore_index_When_a_check_runs_Then_it_errors_once_with_the_padding_convention_and_no_frames()
    {
        var broken = ShapeTestData.OneHotVariedWords(loss: (output, targets) => nn.functional.cross_entropy(output.flatten(0, 1), targets.flatten()));

        var result = CheckSuite.RunOne(new InputsAtTheDoor(), broken, CheckOptions.Quick);

        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Equal(ErrorFinding.PaddedTargets, result.Finding);
        Assert.Contains("ignore_index: -1", result.Advice);
        Assert.DoesNotContain("frame #", result.Finding);
    }

    [Fact]
    public void Given_the_same_loss_with_ignore_index_When_the_check_runs_Then_it_does_not_error()
    {
        var result = CheckSuite.RunOne(new InputsAtTheDoor(), ShapeTestData.OneHotVariedWords(), CheckOptions.Quick);

        Assert.NotEqual(Verdict.Error, result.Verdict);
    }
}
