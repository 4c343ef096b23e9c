using Recipe.Diagnostics;
using Recipe.Tests.Checks;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Tests.Diagnostics;

public class SequenceMistakesTests
{
    [Fact]
    public void Given_a_briefly_trained_char_model_When_sampled_Then_lines_use_the_vocabulary_and_the_seed_fixes_them()
    {
        var pipeline = CheckTestData.WordsPipeline();
        var (model, _) = ShortTraining.Run(pipeline, pipeline.Data.Train, new ShortTrainingSpec(60, EarlyStopping: false), seed: 0);
        using (model)
        {
            var vocabulary = pipeline.Data.Vocabulary!;
            int length = (int)pipeline.Data.ExampleShape[0];

            var first = SequenceMistakes.Sample(model, pipeline.Transform, vocabulary, length, count: 6, seed: 4);
            var again = SequenceMistakes.Sample(model, pipeline.Transform, vocabulary, length, count: 6, seed: 4);

            Assert.Equal(6, first.Count);
            Assert.Equal(first, again);
            Assert.All(first, line => Assert.All(line, c => Assert.True(vocabulary.Contains(c), $"'{c}'")));
            Assert.Contains(first, line => line.Length > 0);
        }
    }

    [Fact]
    public void Given_a_validation_line_of_an_unseen_pattern_When_ranked_Then_its_tokens_are_the_most_surprising_and_the_loss_is_the_tokens_cross_entropy()
    {
        var pipeline = CheckTestData.WordsPipeline();
        var data = pipeline.Data;
        var (model, _) = ShortTraining.Run(pipeline, data.Train, new ShortTrainingSpec(150, EarlyStopping: false), seed: 0);
        using (model)
        {
            // plant "qqqqqq"-like (letters of the vocabulary in an order no word has) as validation line 0
            var vocabulary = data.Vocabulary!;
            char rare = vocabulary.Characters.First(c => c == 'q' || c == 'z' || c == 'x' || c == 'k' || c == 'w');
            using var inputs = data.Validation.Inputs.clone();
            using var targets = data.Validation.Targets.clone();
            int length = (int)data.ExampleShape[0];
            int repeats = Math.Min(6, length - 1);
            var line = Enumerable.Repeat((long)vocabulary.Encode(rare), repeats).ToArray();
            inputs[0] = tensor(new long[] { 0 }.Concat(line).Concat(Enumerable.Repeat(0L, length - 1 - repeats)).ToArray());
            targets[0] = tensor(line.Append(0L).Concat(Enumerable.Repeat(-1L, length - 1 - repeats)).ToArray());
            using var planted = new Recipe.Data.DataSplit("validation", inputs.alias(), targets.alias());

            var worst = SequenceMistakes.HighestLossTokens(model, planted, pipeline.Transform, vocabulary, count: 3);

            Assert.Equal(0, worst[0].Line);
            Assert.Equal(new string(rare, repeats), worst[0].Text);
            using var output = model.call(pipeline.Transform(planted.Inputs.narrow(0, 0, 1)));
            var expected = nn.functional.cross_entropy(output[0, worst[0].Position].unsqueeze(0), targets[0, worst[0].Position].unsqueeze(0)).item<float>();
            Assert.Equal(expected, worst[0].Loss, 3);
        }
    }
}
