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
            return pipeline with
            {
                CreateModel = () =>
                {
                    var model = ResNet.ForImages(data.ExampleShape[0], data.ExampleShape[1], data.ExampleShape[2], ModelFactory.OutputsFor(data), width);
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
