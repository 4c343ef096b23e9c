using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Training;

/// <summary>The step budget on token sequences: recurrent layers counted, data counted in predicted tokens.</summary>
public class SequenceTrainingLengthTests
{
    [Fact]
    public void Given_a_gru_When_its_work_is_counted_Then_every_position_pays_for_its_input_and_recurrent_weights()
    {
        const int vocabulary = 7, embedding = 4, width = 6, positions = 5;
        using var model = new CharGru(vocabulary, embedding, width);
        using var train = new DataSplit("train", zeros([2, positions], dtype: ScalarType.Int64), zeros([2, positions], dtype: ScalarType.Int64));

        long recurrent = positions * (3L * width * embedding + 3L * width * width); // three gates, input and state
        long output = positions * (long)width * vocabulary;
        Assert.Equal(recurrent + output, TrainingLength.MultiplyAddsPerExample(model, x => x, train));
    }

    [Fact]
    public void Given_lines_of_text_When_the_budget_counts_its_examples_Then_it_counts_the_predicted_tokens_not_the_lines()
    {
        var targets = tensor(new long[,] { { 3, 4, 0, -1, -1 }, { 5, 0, -1, -1, -1 } });
        using var text = new DataSplit("train", zeros([2, 5], dtype: ScalarType.Int64), targets);
        using var table = new DataSplit("train", zeros([3, 4]), zeros([3], dtype: ScalarType.Int64));

        Assert.Equal(5, TrainingLength.BudgetExamples(text));
        Assert.Equal(3, TrainingLength.BudgetExamples(table));
    }

    [Fact]
    public void Given_1858_lines_of_62_characters_When_budgeted_in_tokens_Then_the_model_gets_more_steps_than_counted_in_lines()
    {
        // the license texts: a charconv costs ~4.4 M multiply-adds per line of 83 positions
        int inLines = TrainingLength.Steps(4_361_152, 128, 1_858);
        int inTokens = TrainingLength.Steps(4_361_152, 128, 1_858, budgetExamples: 1_858L * 62);

        Assert.True(inTokens >= 2.5 * inLines, $"{inTokens} steps in tokens vs {inLines} in lines");
        Assert.True(inTokens / 4 >= 50, $"a quarter of the budget (a stage-3 trial) is {inTokens / 4} steps");
    }
}
