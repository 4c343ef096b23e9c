using System.Text.Json.Nodes;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Interop;
using Recipe.Models;
using Recipe.Predict;
using Recipe.Stages;
using Recipe.Tests.Regularization;
using Recipe.Tests.Support;
using static TorchSharp.torch;

namespace Recipe.Tests.Interop;

/// <summary>A model trained on half-size images goes everywhere with its input size: model.json, `recipe predict`, the ensemble, --init-from.</summary>
public class SmallerInputCardTests
{
    static Pipeline Half(Dataset data, InputNormalizer normalizer, string model) =>
        Pipeline.Default(data, normalizer, model).WithKnobs(new Dictionary<string, string> { [DefaultKnobs.Input] = DefaultKnobs.InputHalf });

    [Theory]
    [InlineData("cnn", 1)]
    [InlineData("mlp", 3)]
    public void Given_a_half_input_model_or_ensemble_saved_with_its_card_When_loaded_for_predict_Then_it_predicts_exactly_as_in_memory(string model, int members)
    {
        using var temp = new TempFolder();
        using var data = SmallerInputData.Quadrants(side: 12, train: 16, validation: 40);
        using var normalizer = InputNormalizer.FitTo(data);
        var pipeline = Half(data, normalizer, model);
        var card = ModelCard.For(data, normalizer, model, null, new RunOptions(), pipeline.Knobs.Int(DefaultKnobs.Width), depth: 1, downsample: 2);
        var trained = Enumerable.Range(0, members).Select(seed => { manual_seed(seed); return pipeline.CreateModel(); }).ToList();
        using nn.Module<Tensor, Tensor> inMemory = members == 1 ? trained[0] : new Ensemble(trained, data.Task);
        inMemory.eval();

        card.Save(temp.Path, inMemory);
        var loadedCard = ModelCard.Load(temp.Path);
        using var loaded = loadedCard.LoadModel(temp.Path);

        Assert.Equal(2, loadedCard.Input!.Downsample);
        using var stored = data.Validation.Inputs;
        // the card's transform is the training one (up to float rounding: ×(1/255) there, ÷255 in training), pooling included
        using var trainingInput = pipeline.Transform(stored);
        using var cardInput = loadedCard.Input.Apply(stored);
        Assert.Equal([40L, 1, 6, 6], cardInput.shape);
        Assert.True(trainingInput.allclose(cardInput, rtol: 0, atol: 1e-5));
        Tensor expected;
        using (no_grad()) expected = inMemory.call(cardInput);
        using var actual = Predictor.Apply(loaded, stored, loadedCard);
        Assert.Equal([40L, 4], actual.shape);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
        expected.Dispose();
    }

    [Fact]
    public void Given_a_table_model_trained_on_half_its_columns_When_its_card_featurizes_the_raw_rows_Then_the_model_sees_what_it_saw_in_training()
    {
        // Given a CSV table and the pipeline that hides its weaker half of columns, with an untrained model (its weights
        // read every feature, so a dropped column that came through would change its answers)
        using var temp = new TempFolder();
        using var data = CsvDataset.Read(TinyTables.WriteBlobsCsv(temp.Combine("blobs.csv")), "label");
        using var normalizer = InputNormalizer.FitTo(data);
        var pipeline = Half(data, normalizer, "mlp");
        var dropped = DefaultKnobs.DroppedColumnsOf(pipeline.Knobs, data);
        var card = ModelCard.For(data, normalizer, "mlp", null, new RunOptions(), droppedColumns: dropped);
        manual_seed(3);
        using var model = pipeline.CreateModel();
        model.eval();

        // When the card is saved and loaded, and featurizes the test split's raw rows as `recipe predict` does
        card.Save(temp.Path, model);
        var table = ModelCard.Load(temp.Path).Table!;
        var rows = data.Test.SourceIndices.Select(r => (IReadOnlyDictionary<string, string?>)data.Table!.Features.ToDictionary(c => c.Name, c => c.Raw[r])).ToList();
        using var cardInput = tensor(rows.SelectMany(row => table.Featurize(row).Features).ToArray()).reshape(rows.Count, table.FeatureNames.Length);

        // Then it names the dropped columns, and its features (and so the model's answers) are the training transform's
        Assert.Equal(2, dropped.Count);
        Assert.Equal(dropped, table.DroppedColumns);
        using var trainingInput = pipeline.Transform(data.Test.Inputs);
        Assert.True(trainingInput.allclose(cardInput, rtol: 0, atol: 1e-5));
        using var unmasked = normalizer.Apply(data.Test.Inputs);
        Assert.False(unmasked.allclose(cardInput, rtol: 0, atol: 1e-3)); // the dropped columns did carry values
        using (no_grad())
        {
            using var expected = model.call(trainingInput);
            using var actual = model.call(cardInput);
            Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-4));
        }
    }

    [Fact]
    public void Given_a_card_written_before_the_input_size_When_loaded_Then_it_means_no_downsampling_and_builds_the_full_size_model()
    {
        using var temp = new TempFolder();
        using var data = SmallerInputData.Quadrants(side: 12, train: 16, validation: 8);
        using var normalizer = InputNormalizer.FitTo(data);
        var card = ModelCard.For(data, normalizer, "cnn", null, new RunOptions(), width: 8, depth: 1);
        using (var model = ModelFactory.Create("cnn", data, width: 8)) card.Save(temp.Path, model);
        var json = JsonNode.Parse(File.ReadAllText(temp.Combine(ModelCard.FileName)))!;
        Assert.Equal(1, (int)json["input"]!["downsample"]!);
        json["input"]!.AsObject().Remove("downsample");
        File.WriteAllText(temp.Combine(ModelCard.FileName), json.ToJsonString());

        var older = ModelCard.Load(temp.Path);
        using var loaded = older.LoadModel(temp.Path);

        Assert.Equal(1, older.Input!.Downsample);
        using var stored = data.Validation.Inputs;
        using var output = Predictor.Apply(loaded, stored, older);
        Assert.Equal([8L, 4], output.shape);
    }

    [Fact]
    public void Given_a_card_with_a_downsample_below_1_When_loaded_Then_one_clear_data_error()
    {
        using var temp = new TempFolder();
        using var data = SmallerInputData.Quadrants(side: 8, train: 8, validation: 8);
        using var normalizer = InputNormalizer.FitTo(data);
        using (var model = ModelFactory.Create("mlp", data, width: 4)) ModelCard.For(data, normalizer, "mlp", null, new RunOptions(), width: 4).Save(temp.Path, model);
        var json = JsonNode.Parse(File.ReadAllText(temp.Combine(ModelCard.FileName)))!;
        json["input"]!["downsample"] = 0;
        File.WriteAllText(temp.Combine(ModelCard.FileName), json.ToJsonString());

        var error = Assert.Throws<DataException>(() => ModelCard.Load(temp.Path));

        Assert.Contains("input.downsample", error.Message);
        Assert.Contains("found 0", error.Message);
    }

    [Fact]
    public void Given_a_run_folder_of_a_half_input_model_When_init_from_reads_its_architecture_Then_the_input_size_comes_with_it_and_the_weights_load()
    {
        using var temp = new TempFolder();
        using var data = SmallerInputData.Quadrants(side: 12, train: 16, validation: 8);
        using var normalizer = InputNormalizer.FitTo(data);
        var pipeline = Half(data, normalizer, "cnn");
        using (var model = pipeline.CreateModel())
            ModelCard.For(data, normalizer, "cnn", null, new RunOptions(), width: 16, depth: 1, downsample: 2).Save(temp.Path, model);

        var knobs = InitFrom.ArchitectureKnobs(temp.Path)!;
        var rebuilt = Pipeline.Default(data, normalizer, "cnn").WithKnobs(knobs);
        var prepared = InitFrom.Prepare(rebuilt, temp.Path);

        Assert.Equal(DefaultKnobs.InputHalf, knobs[DefaultKnobs.Input]);
        Assert.Equal(2, prepared.PretrainedInput!.Downsample);
        // the full-size model cannot take these weights: its hidden layer is sized for 12×12, not 6×6
        Assert.Throws<DataException>(() => InitFrom.Prepare(Pipeline.Default(data, normalizer, "cnn"), temp.Path));
    }
}
