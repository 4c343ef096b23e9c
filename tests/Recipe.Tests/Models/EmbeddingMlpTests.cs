using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Checks;
using Recipe.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

/// <summary>The tables' zoo: the embedding MLP passes stage 2's checks on a table with a categorical column; the MLP's depth knob.</summary>
public class EmbeddingMlpTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// 240 rows: a number, a colour (4 values, some missing) and a noise column; the label is 1 when the colour is warm
    /// (red, orange) xor the number is positive, so both the code and the number matter.
    /// </summary>
    Dataset Colours()
    {
        Recipe.Native.TorchRuntime.EnsureLoadable();
        torch.set_num_threads(1);
        var random = new Random(5);
        string[] colours = ["red", "orange", "blue", "green", "NA"];
        var lines = new List<string> { "x,colour,noise,label" };
        for (int i = 0; i < 240; i++)
        {
            double x = random.NextDouble() * 2 - 1;
            var colour = colours[i % colours.Length];
            bool warm = colour is "red" or "orange";
            lines.Add(FormattableString.Invariant($"{x:F3},{colour},{random.NextDouble():F3},{((warm ^ (x > 0)) ? "yes" : "no")}"));
        }
        return DataSpec.Load(TinyData.WriteCsv(_temp.Combine("colours.csv"), [.. lines]));
    }

    static Pipeline Pipeline(Dataset data, double learningRate = 3e-3) => ZooPipelines.For(data, InputNormalizer.Identity(), "embedmlp", width: 16, depth: 2, learningRate);

    [Fact]
    public void Given_a_table_with_a_categorical_column_When_its_blocks_are_read_Then_the_span_covers_its_codes_and_missing()
    {
        using var data = Colours();
        var block = Assert.Single(CategoricalBlocks.Of(data));
        var names = data.Table!.FeatureNames;
        Assert.Equal(("colour", 5), (block.Column, block.Count)); // blue, green, orange, red, (missing)
        Assert.Equal("colour=blue", names[block.Start]);
        Assert.Equal("colour=(missing)", names[block.Start + block.Count - 1]);
    }

    [Fact]
    public void Given_a_numeric_table_When_its_blocks_are_read_Then_there_are_none_and_the_ladder_has_no_embedding_rung()
    {
        using var data = DataSpec.Load(TinyTables.WriteBlobsCsv(_temp.Combine("blobs.csv")));
        Assert.Empty(CategoricalBlocks.Of(data));
        Assert.DoesNotContain(ModelLadder.For(data), rung => rung.Name == "embedmlp");
        using var colours = Colours();
        Assert.Contains(ModelLadder.For(colours), rung => rung.Name == "embedmlp");
    }

    [Fact]
    public void Given_the_embedding_mlp_When_a_rows_category_changes_Then_its_output_changes_through_the_embedding()
    {
        using var data = Colours();
        using var model = (EmbeddingMlp)ModelFactory.Create("embedmlp", data, 16, 1);
        model.eval();
        var block = CategoricalBlocks.Of(data)[0];
        Assert.Equal(EmbeddingMlp.DimensionFor(5), model.modules().OfType<Embedding>().Single().weight!.shape[1]);
        using var row = data.Train.Inputs[..1].clone();
        using var recoded = row.clone();
        recoded[0, block.Start..(block.Start + block.Count)] = zeros(block.Count);
        int current = (int)row[0, block.Start..(block.Start + block.Count)].argmax().item<long>();
        recoded[0, block.Start + (current + 1) % block.Count] = tensor(1f);
        using var noGrad = no_grad();
        Assert.True((model.call(recoded) - model.call(row)).abs().max().item<float>() > 0);
    }

    [Fact]
    public void Given_the_embedding_mlp_When_its_loss_at_init_is_checked_Then_it_passes()
    {
        using var data = Colours();
        CheckAssert.Verdict(Verdict.Pass, new LossAtInit(), Pipeline(data));
    }

    [Fact]
    public void Given_the_embedding_mlp_When_its_final_bias_is_checked_Then_it_predicts_the_prior()
    {
        using var data = Colours();
        CheckAssert.Verdict(Verdict.Pass, new InitFinalBias(), Pipeline(data));
    }

    [Fact]
    public void Given_the_embedding_mlp_When_it_overfits_four_rows_Then_it_passes()
    {
        using var data = Colours();
        CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), Pipeline(data, ZooPipelines.OverfitLearningRate));
    }

    [Fact]
    public void Given_the_embedding_mlp_When_its_batch_is_probed_Then_no_row_reads_another()
    {
        using var data = Colours();
        var result = CheckAssert.Verdict(Verdict.Pass, new BatchIndependence(), Pipeline(data));
        Assert.Equal(0, result.Evidence["examples_blind_to_their_input"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Given_a_depth_When_the_mlp_is_built_Then_it_has_that_many_hidden_layers(int depth)
    {
        using var data = Colours();
        using var mlp = ModelFactory.Create("mlp", data, 8, depth);
        using var embedded = ModelFactory.Create("embedmlp", data, 8, depth);
        Assert.Equal(depth + 1, mlp.modules().OfType<Linear>().Count());
        Assert.Equal(depth + 1, embedded.modules().OfType<Linear>().Count());
        Assert.Throws<ArgumentException>(() => ModelFactory.Create("linear", data, null, depth + 1));
    }
}
