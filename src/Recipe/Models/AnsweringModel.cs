using static TorchSharp.torch;

namespace Recipe.Models;

/// <summary>
/// What a run answers with may wrap its trained models: test-time shifted copies around an ensemble around the first
/// model. These name the layers inside, for the parts of a run that are about one trained model (its weights file,
/// its layers and filters) rather than about the answers.
/// </summary>
public static class AnsweringModel
{
    /// <summary>The model without the shifted copies it may answer over.</summary>
    public static nn.Module<Tensor, Tensor> Unshifted(nn.Module<Tensor, Tensor> model) => model is TestTimeShifts shifts ? shifts.Inner : model;

    /// <summary>The run's first trained model, inside the shifted copies and the ensemble it may be wrapped in.</summary>
    public static nn.Module<Tensor, Tensor> First(nn.Module<Tensor, Tensor> model) =>
        Unshifted(model) is Ensemble ensemble ? First(ensemble.Members[0]) : Unshifted(model);
}
