using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Checks;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

public class CausalCharConvTests : IDisposable
{
    readonly string _folder = Recipe.Tests.Inspect.Fixtures.TempFolder("charconv");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Lines like a license text's centred titles: every line indented by 20 to 40 spaces, one sequence per line.</summary>
    static string[] IndentedLines() =>
    [
        "                                 Apache License",
        "                           Version 2.0, January 2004",
        "                        http://www.apache.org/licenses/",
        "                     END OF TERMS AND CONDITIONS",
        "                       GNU GENERAL PUBLIC LICENSE",
        "                       Version 3, 29 June 2007",
        "                            Preamble",
        "                     TERMS AND CONDITIONS",
        "                                        NO WARRANTY",
        "                    How to Apply These Terms to Your New Programs",
        "                                 Definitions",
        "                             Basic Permissions",
    ];

    Dataset Indented()
    {
        Recipe.Native.TorchRuntime.EnsureLoadable();
        torch.set_num_threads(1);
        var path = Path.Combine(_folder, "license.txt");
        File.WriteAllLines(path, IndentedLines());
        return TextLinesDataset.Read(path);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(24, 32)]
    [InlineData(79, 128)]
    [InlineData(129, 256)]
    public void Given_a_sequence_length_When_the_context_is_chosen_Then_it_covers_the_whole_sequence(long length, int expected)
    {
        Assert.Equal(expected, CausalCharConv.ContextFor(length));
        var model = new CausalCharConv(10, hidden: 8, context: CausalCharConv.ContextFor(length));
        Assert.InRange(model.Context, length, Math.Max(4, expected));
    }

    [Fact]
    public void Given_the_default_model_for_a_line_When_its_first_input_changes_Then_the_output_at_the_last_position_changes()
    {
        // Given the model the factory builds for indented lines of ~70 characters
        using var data = Indented();
        using var model = ModelFactory.Create("charconv", data);
        model.eval();
        long steps = data.ExampleShape[0];
        using var tokens = data.Train.Inputs[..1].clone();
        using var changed = tokens.clone();
        changed[0, 0] = tensor(1L);

        // When the boundary token at position 0 is replaced
        using var noGrad = no_grad();
        using var before = model.call(tokens);
        using var after = model.call(changed);

        // Then the last position still sees it: the model knows where its line started
        Assert.True((after[0, steps - 1] - before[0, steps - 1]).abs().max().item<float>() > 0);
    }

    [Fact]
    public void Given_the_old_four_character_window_When_its_first_input_changes_Then_the_last_position_cannot_see_it()
    {
        // The fault this model fixes: a window of 4 characters cannot count a 33-space indentation.
        using var data = Indented();
        using var model = new CausalCharConv(data.Vocabulary!.Size, context: 4);
        model.eval();
        using var tokens = data.Train.Inputs[..1].clone();
        using var changed = tokens.clone();
        changed[0, 0] = tensor(1L);
        using var noGrad = no_grad();
        using var delta = (model.call(changed) - model.call(tokens)).abs();
        Assert.Equal(0f, delta[0, 10..].max().item<float>());
    }

    [Fact]
    public void Given_lines_indented_by_33_spaces_When_the_default_pipeline_overfits_one_line_Then_it_passes()
    {
        // Given the reproduction in miniature: license-like lines and Recipe's default text pipeline
        using var data = Indented();
        var pipeline = Pipeline.Default(data, InputNormalizer.Identity());

        // When one line is overfit (the check picks the first training line)
        var result = CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), pipeline, CheckOptions.Quick with { OverfitMaxSteps = 600 });

        // Then every character of it is predicted, the indentation included
        Assert.Equal(1.0, result.Evidence["accuracy_after"]);
    }

    [Fact]
    public void Given_the_default_model_for_indented_lines_When_causality_is_checked_Then_no_output_depends_on_a_later_input()
    {
        using var data = Indented();
        var result = CheckAssert.Run(new CausalDependence(), Pipeline.Default(data, InputNormalizer.Identity()));
        // The look-ahead half of the check; the other half (targets equal to inputs) is about the data, and lines of
        // nothing but indentation repeat a space in over half their positions (see the report: a known limit).
        Assert.Equal(0, result.Evidence["relative_dependence_on_later_inputs"]);
        Assert.True(result.Evidence["positions_probed"] > 40);
    }
}
