using Recipe.Models;

namespace Recipe.Interop;

/// <summary>`recipe run --init-from`: the checkpoint checked against the model before any stage runs, and its normalization handed to the checks.</summary>
public static class InitFrom
{
    /// <summary>
    /// <paramref name="pipeline"/> with the checkpoint's input normalization (for inputs-at-the-door), after a trial load
    /// into a fresh model: a damaged checkpoint or one of another architecture stops the run now, not after the checks.
    /// </summary>
    public static Checks.Pipeline Prepare(Checks.Pipeline pipeline, string? source)
    {
        if (source is null) return pipeline;
        var normalization = Checkpoint.NormalizationOf(source);
        pipeline = WithCheckpointsResNetWidth(pipeline, source);
        using (var trial = pipeline.CreateModel()) Checkpoint.LoadInto(trial, source);
        return pipeline with { PretrainedInput = normalization };
    }

    /// <summary>
    /// The architecture knobs (model, width, depth, and for images the input size the model was built for) of the run that wrote <paramref name="source"/>, read from the model
    /// card beside its weights; null when there is no card (a PyTorch file, a bare .safetensors), in which case the
    /// pipeline's own architecture stays and the trial load names any mismatch. Stages 3 and 4 may have changed the
    /// architecture of that run, so "continue from that run" means "build what it built".
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ArchitectureKnobs(string source)
    {
        string folder = Directory.Exists(source) ? source : Path.GetDirectoryName(Path.GetFullPath(source)) ?? ".";
        if (!File.Exists(Path.Combine(folder, ModelCard.FileName))) return null;
        ModelCard card;
        try { card = ModelCard.Load(folder); }
        catch (Data.DataException) { return null; } // not a card of this version: the trial load reports what is wrong
        var knobs = new Dictionary<string, string>
        {
            [Checks.DefaultKnobs.Model] = card.Architecture,
            [Checks.DefaultKnobs.Width] = card.Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (card.Depth is { } depth) knobs[Checks.DefaultKnobs.Depth] = depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // stage 4 may have kept a smaller input: the weights fit the downsampled image (the cnn's hidden layer is sized by it)
        if (card.Input is { } input) knobs[Checks.DefaultKnobs.Input] = Checks.DefaultKnobs.InputSizeOf(input.Downsample);
        return knobs;
    }

    /// <summary>
    /// A ResNet takes the width of the checkpoint's first convolution (torchvision's ResNet-18 has 64 channels where
    /// Recipe's default has 16), so `--model resnet --init-from resnet18.pt` builds the network the weights belong to.
    /// </summary>
    static Checks.Pipeline WithCheckpointsResNetWidth(Checks.Pipeline pipeline, string source)
    {
        using (var probe = pipeline.CreateModel())
            if (probe is not ResNet) return pipeline;
        var file = Checkpoint.WeightsFileOf(source);
        var state = StateDictFile.Read(file);
        try
        {
            if (!state.TryGetValue("conv1.weight", out var conv1) || conv1.dim() != 4) return pipeline; // the load names what is wrong
            int width = (int)conv1.shape[0];
            var data = pipeline.Data;
            long[] door; // what the model sees, which a smaller-input knob makes smaller than the stored image
            using (var probe = pipeline.Transform(data.Train.Inputs.narrow(0, 0, 1))) door = probe.shape;
            return pipeline with
            {
                CreateModel = () =>
                {
                    var model = ResNet.ForImages(door[1], door[2], door[3], ModelFactory.OutputsFor(data), width);
                    FinalLayerInit.FromTargets(model, data);
                    return model;
                },
                CreateLargerModel = null,
            };
        }
        finally
        {
            foreach (var tensor in state.Values) tensor.Dispose();
        }
    }
}
