using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Recipe.Data;
using Recipe.Models;
using Recipe.Stages;
using static TorchSharp.torch;

namespace Recipe.Interop;

/// <summary>
/// model.json, written beside a run's weights: everything `recipe predict` needs to apply the model to new data and
/// to refuse data it was not trained on: the architecture and its arguments, the input transform with its fitted
/// statistics, the class names or vocabulary, the task, the target scale, the seed and the Recipe version.
/// </summary>
public sealed record ModelCard
{
    public const string FileName = "model.json";
    public const string CurrentFormat = "recipe-model-card/1";
    public const string PyTorchWeights = "model.pt";
    public const string SafetensorsWeights = "model.safetensors";
    /// <summary>Every member of a kept ensemble, "members.0.…", "members.1.…" (the first model's tensors under members.0).</summary>
    public const string EnsembleWeights = "ensemble.safetensors";

    public string Format { get; init; } = CurrentFormat;
    public required string RecipeVersion { get; init; }
    /// <summary>A name of <see cref="ModelFactory.Names"/>.</summary>
    public required string Architecture { get; init; }
    /// <summary>The capacity knob it was built with (0 = none).</summary>
    public required int Width { get; init; }
    /// <summary>The depth knob it was built with (hidden layers or blocks); null: the architecture's default.</summary>
    public int? Depth { get; init; }
    public required TaskKind Task { get; init; }
    public required DataFormat DataFormat { get; init; }
    /// <summary>The data it was trained on (a path or built-in name), for people.</summary>
    public required string TrainedOn { get; init; }
    /// <summary>One input's shape: (C, H, W), (features) or (time steps).</summary>
    public required long[] ExampleShape { get; init; }
    public required string[] ClassNames { get; init; }
    /// <summary>Images: the transform from stored 0–255 pixels to model input (normalization, then any downsampling; the model is built for its output).</summary>
    public InputNormalization? Input { get; init; }
    /// <summary>Tables: the columns and their fitted statistics.</summary>
    public TableSchema? Table { get; init; }
    /// <summary>Text: the characters of the vocabulary (token 0, the line boundary, not included).</summary>
    public string? Vocabulary { get; init; }
    /// <summary>Regression: the net predicts (y − mean) / std.</summary>
    public TargetScale? TargetScale { get; init; }
    public required long Seed { get; init; }
    /// <summary>The checkpoint training started from (--init-from), null when from scratch.</summary>
    public string? InitFrom { get; init; }
    /// <summary>The normalization the --init-from weights were trained with, when known.</summary>
    public InputNormalization? PretrainedInput { get; init; }
    /// <summary>The weights in PyTorch's formats, beside this file (names as PyTorch modules use).</summary>
    public string[] Weights { get; init; } = [SafetensorsWeights, PyTorchWeights];
    /// <summary>
    /// The models whose mean the run kept (<see cref="Ensemble"/>), all in <see cref="EnsembleWeights"/>; null or 1: a single
    /// model. <see cref="Weights"/> then hold the first member alone, under the architecture's own PyTorch names.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EnsembleMembers { get; init; }
    /// <summary>
    /// Images: the model answers with the mean over shifted copies of each input (<see cref="Models.TestTimeShifts"/>); null:
    /// each input alone. The weights are the model's own: a PyTorch user who wants the same answers makes the same copies.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TestTimeShiftCard? TestTimeShifts { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string RecipeVersionText =>
        typeof(ModelCard).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The card of a model trained by `recipe run` on <paramref name="data"/>.</summary>
    /// <param name="downsample">Images: the factor the pipeline averaged them by before the model (its `input` knob); 1 for none.</param>
    /// <param name="droppedColumns">Tables: the columns the pipeline hid from the model (its `input` knob); null or empty for none.</param>
    public static ModelCard For(Dataset data, InputNormalizer normalizer, string modelName, TargetScale? scale, RunOptions options, int? width = null, int? depth = null,
        int downsample = 1, IReadOnlyList<string>? droppedColumns = null)
    {
        if (droppedColumns is { Count: > 0 } && data.Table is null)
            throw new ArgumentException($"only a table's columns can be dropped before the model; {data.Name} is not a table");
        var input = InputNormalization.Of(normalizer, $"fitted on the training split of {data.Name}");
        if (downsample != 1 && input is null)
            throw new ArgumentException($"only images are downsampled before the model; {data.Name} has no image normalization to carry a factor of {downsample}");
        var pretrained = options.InitFrom is null ? null : Checkpoint.NormalizationOf(options.InitFrom);
        return new ModelCard
        {
            RecipeVersion = RecipeVersionText,
            Architecture = modelName,
            Width = width ?? ModelFactory.DefaultWidth(modelName),
            Depth = depth ?? ModelFactory.DefaultDepth(modelName),
            Task = data.Task,
            DataFormat = data.Format,
            TrainedOn = options.Data,
            ExampleShape = data.ExampleShape,
            ClassNames = data.ClassNames.ToArray(),
            Input = input is null ? null : input with { Downsample = downsample },
            Table = data.Table is null ? null : TableSchema.Of(data, options.NoHeader) with { DroppedColumns = droppedColumns is { Count: > 0 } ? [.. droppedColumns] : null },
            Vocabulary = data.Vocabulary is null ? null : new string(data.Vocabulary.Characters.Skip(1).ToArray()),
            TargetScale = scale,
            Seed = options.Seed,
            InitFrom = options.InitFrom,
            PretrainedInput = pretrained,
        };
    }

    /// <summary>Writes model.json and the weights as model.safetensors and model.pt into <paramref name="folder"/>.</summary>
    /// <remarks>An <see cref="Ensemble"/>: its first member as model.safetensors and model.pt, every member in ensemble.safetensors.</remarks>
    public void Save(string folder, nn.Module model)
    {
        if (model is TestTimeShifts shifts)
        {
            (this with { TestTimeShifts = TestTimeShiftCard.Of(shifts) }).Save(folder, shifts.Inner);
            return;
        }
        var single = model is Ensemble ensemble ? ensemble.Members[0] : model;
        // A ResNet's width may come from the checkpoint it was fine-tuned from rather than the default: the model says.
        if (single is ResNet resnet && resnet.Widths[0] != Width)
        {
            (this with { Width = resnet.Widths[0] }).Save(folder, model);
            return;
        }
        StateDictFile.Write(single, Path.Combine(folder, SafetensorsWeights));
        StateDictFile.Write(single, Path.Combine(folder, PyTorchWeights));
        var card = this;
        if (model is Ensemble { Members.Count: > 1 } all)
        {
            StateDictFile.Write(all, Path.Combine(folder, EnsembleWeights));
            card = this with { EnsembleMembers = all.Members.Count };
        }
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(card, Json));
    }

    /// <summary>The card of a run folder.</summary>
    /// <exception cref="DataException">No such folder, no model.json in it, or a model.json that is not a card.</exception>
    public static ModelCard Load(string runFolder)
    {
        if (!Directory.Exists(runFolder))
            throw new DataException(runFolder, "path", "a run folder written by `recipe run` (holding model.json and the weights), found nothing there");
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
            throw new DataException(runFolder, "folder", $"{FileName} (the model card `recipe run` writes beside the weights), found none: was training finished by this Recipe version?");
        ModelCard? card;
        try { card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new DataException(path, e.Path ?? "json", $"a model card ({CurrentFormat}): {e.Message}"); }
        if (card is null || card.Format != CurrentFormat)
            throw new DataException(path, "format", $"\"{CurrentFormat}\", found \"{card?.Format}\"");
        if (card.Input is { Downsample: < 1 } input)
            throw new DataException(path, "input.downsample", $"a downsampling factor of at least 1 (1: the image at its stored size), found {input.Downsample}");
        return card;
    }

    /// <summary>The vocabulary object of a text model.</summary>
    public Vocabulary? VocabularyObject => Vocabulary is null ? null : new Vocabulary(Vocabulary);

    /// <summary>The untrained model this card describes.</summary>
    public nn.Module<Tensor, Tensor> CreateModel()
    {
        using var shape = ShapeOnly();
        return ModelFactory.Create(Architecture, shape, Width == 0 ? null : Width, Depth, downsample: Input?.Downsample ?? 1);
    }

    /// <summary>
    /// The trained model of <paramref name="runFolder"/>, in eval mode, every tensor loaded by name: the <see cref="Ensemble"/>
    /// when the run kept one (the model the test score came from), else the single model.
    /// </summary>
    public nn.Module<Tensor, Tensor> LoadModel(string runFolder)
    {
        bool isEnsemble = EnsembleMembers is > 1;
        string[] candidates = isEnsemble ? [EnsembleWeights] : Weights;
        var weights = candidates.Select(w => Path.Combine(runFolder, w)).FirstOrDefault(File.Exists)
            ?? throw new DataException(runFolder, "folder", $"the weights ({string.Join(" or ", candidates)}) beside {FileName}, found none");
        nn.Module<Tensor, Tensor> model = isEnsemble
            ? new Ensemble(Enumerable.Range(0, EnsembleMembers!.Value).Select(_ => CreateModel()).ToList(), Task)
            : CreateModel();
        var state = StateDictFile.Read(weights);
        try { StateDictLoader.Load(model, state, weights); }
        catch { model.Dispose(); throw; }
        finally { foreach (var t in state.Values) t.Dispose(); }
        if (TestTimeShifts is { } shifts) model = new TestTimeShifts(model, InputDownsampling.ShapeOf(ExampleShape, Input?.Downsample ?? 1), shifts.Step, shifts.Mirror, Task);
        model.eval();
        return model;
    }

    /// <summary>A dataset with no examples and this card's task, shape, classes and vocabulary: what ModelFactory needs to build the model.</summary>
    Dataset ShapeOnly()
    {
        DataSplit Empty(string name) => new(name, zeros([0, .. ExampleShape]), zeros(0, dtype: Task == TaskKind.Regression ? float32 : int64));
        return new Dataset
        {
            Name = TrainedOn, Source = TrainedOn, Format = DataFormat, Task = Task, ClassNames = ClassNames, ExampleShape = ExampleShape,
            Train = Empty("train"), Validation = Empty("validation"), Test = Empty("test"), Vocabulary = VocabularyObject,
        };
    }
}

/// <summary>The shifted copies a model answers over, as model.json records them.</summary>
/// <param name="Step">Each copy is the image translated by −Step, 0 or +Step pixels along each axis (edge pixels repeated).</param>
/// <param name="Mirror">Every copy also mirrored left-right.</param>
/// <param name="Views">How many copies: 9, or 18 mirrored.</param>
public sealed record TestTimeShiftCard(int Step, bool Mirror, int Views)
{
    public static TestTimeShiftCard Of(TestTimeShifts shifts) => new(shifts.Step, shifts.Mirror, shifts.Views.Count);
}
