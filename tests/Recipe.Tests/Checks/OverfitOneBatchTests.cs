using Recipe.Checks;
using Recipe.Checks.Stage2;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class OverfitOneBatchTests
{
    [Fact]
    public void Given_a_correct_pipeline_When_one_batch_is_overfit_Then_the_loss_reaches_zero_and_the_picture_shows_it()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), CheckTestData.FashionPipeline());
        Assert.Equal(1.0, result.Evidence["accuracy_after"]);
        Assert.Equal(2, result.Evidence.Pictures.Count);
    }

    [Fact]
    public void Given_a_transform_that_zeroes_the_inputs_When_one_batch_is_overfit_Then_it_cannot_be_and_fails()
    {
        var broken = CheckTestData.FashionPipeline() with { Transform = stored => zeros(stored.shape, dtype: float32) };
        CheckAssert.Verdict(Verdict.Fail, new OverfitOneBatch(), broken);
    }

    [Fact]
    public void Given_a_loss_clipped_instead_of_the_gradient_When_one_batch_is_overfit_Then_it_fails()
    {
        var broken = CheckTestData.FashionPipeline() with
        {
            Loss = (output, targets) => nn.functional.cross_entropy(output, targets, reduction: nn.Reduction.None).clamp_max(1.0).mean(),
        };
        CheckAssert.Verdict(Verdict.Fail, new OverfitOneBatch(), broken);
    }

    [Fact]
    public void Given_text_When_one_line_is_overfit_Then_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), CheckTestData.WordsPipeline(), CheckOptions.Quick with { OverfitMaxSteps = 600 });
    }

    [Fact]
    public void Given_image_regression_with_float_targets_When_one_batch_is_overfit_Then_it_runs_pictures_the_batch_and_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new OverfitOneBatch(), ShapeTestData.ImagePipeline(ShapeTestData.BarColumn()));
        Assert.Equal(2, result.Evidence.Pictures.Count);
    }

    [Fact]
    public void Given_image_regression_whose_targets_are_shuffled_within_the_batch_by_the_loss_When_overfit_Then_it_fails()
    {
        // The loss compares each prediction with another example's target (rolled by one): no model can fit that mapping and the real one.
        var broken = ShapeTestData.ImagePipeline(ShapeTestData.BarColumn()) with
        {
            Loss = (output, targets) => nn.functional.mse_loss(output.squeeze(-1), targets.roll(1, 0)),
        };
        CheckAssert.Verdict(Verdict.Fail, new OverfitOneBatch(), broken);
    }

    /// <summary>A linear model whose logits are scaled by 1e-4: correct, but it cannot move its logits far enough in the budget.</summary>
    sealed class FaintLinear : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> _linear = nn.Linear(784, 10);

        public FaintLinear() : base(nameof(FaintLinear)) => RegisterComponents();

        public override Tensor forward(Tensor input) => _linear.call(input.flatten(1)).mul(1e-4);
    }

    [Fact]
    public void Given_a_users_model_too_weak_to_fit_the_batch_and_a_larger_model_that_fits_it_When_overfit_Then_it_fails_naming_the_model_as_the_suspect()
    {
        // Given the user's own model (this assembly's FaintLinear) that cannot fit even with twice the steps, and a larger model that fits:
        // data, labels, loss and optimizer are sound, and the bug may live in the user's model alone (as a double softmax does)
        var weak = CheckTestData.FashionPipeline() with { CreateModel = () => new FaintLinear() };
        var result = CheckAssert.Verdict(Verdict.Fail, new OverfitOneBatch(), weak);

        Assert.True(result.Evidence["first_attempt_loss_share"] > OverfitOneBatch.FirstAttemptFits.Threshold);
        Assert.True(result.Evidence["longer_attempt_loss_share"] > OverfitOneBatch.LossToZero.Threshold);
        Assert.True(result.Evidence["larger_model_loss_share"] <= OverfitOneBatch.LossToZero.Threshold);
        Assert.Contains("only the larger model fits", result.Finding);
    }

    [Fact]
    public void Given_a_model_too_weak_to_fit_the_batch_and_no_larger_model_When_overfit_Then_twice_the_steps_cannot_save_it_and_it_fails()
    {
        var weak = CheckTestData.FashionPipeline() with { CreateModel = () => new FaintLinear(), CreateLargerModel = null };
        var result = CheckAssert.Verdict(Verdict.Fail, new OverfitOneBatch(), weak);

        Assert.True(result.Evidence["longer_attempt_loss_share"] > OverfitOneBatch.LossToZero.Threshold);
        Assert.Contains("twice the steps do not fit", result.Finding);
    }

    /// <summary>A linear model whose output stays 0 for its first training calls: it starts learning late, but then it fits.</summary>
    sealed class LateStarter : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> _linear = nn.Linear(784, 10);
        readonly int _closedSteps;
        int _trainingCalls;

        public LateStarter(int closedSteps) : base(nameof(LateStarter))
        {
            _closedSteps = closedSteps;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            if (training) _trainingCalls++;
            var output = _linear.call(input.flatten(1));
            return _trainingCalls <= _closedSteps ? output.mul(0) : output;
        }
    }

    [Fact]
    public void Given_a_model_that_needs_more_than_the_first_budget_When_overfit_Then_twice_the_steps_fit_and_it_only_warns()
    {
        // Given the quick budget (800 steps) and a model that learns nothing in its first 900 steps, then fits quickly
        int budget = CheckOptions.Quick.OverfitMaxSteps;
        var late = CheckTestData.FashionPipeline() with { CreateModel = () => new LateStarter(budget + budget / 8), CreateLargerModel = null };
        var result = CheckAssert.Verdict(Verdict.Warn, new OverfitOneBatch(), late);

        Assert.True(result.Evidence["first_attempt_loss_share"] > OverfitOneBatch.FirstAttemptFits.Threshold);
        Assert.True(result.Evidence["longer_attempt_loss_share"] <= OverfitOneBatch.LossToZero.Threshold);
        Assert.Contains("twice the steps fit", result.Finding);
    }
}

/// <summary>
/// overfit-one-batch with one of Recipe's own models that is too small (a single hidden unit): the larger model fitting the
/// batch means capacity, not a bug, and only warns; the same models behind a broken transform fail both retries.
/// </summary>
public class OverfitOneBatchOwnModelTests
{
    /// <summary>Recipe's own MLP squeezed through one hidden unit: four examples of four classes must share one number.</summary>
    static Pipeline TooSmall() => CheckTestData.FashionPipeline() with { CreateModel = () => new Recipe.Models.Mlp(784, [1], 10) };

    [Fact]
    public void Given_Recipes_own_model_too_small_and_a_larger_model_that_fits_When_overfit_Then_it_retries_and_only_warns_naming_capacity()
    {
        var result = CheckAssert.Verdict(Verdict.Warn, new OverfitOneBatch(), TooSmall(), CheckOptions.Quick);

        Assert.True(result.Evidence["first_attempt_loss_share"] > OverfitOneBatch.FirstAttemptFits.Threshold);
        Assert.True(result.Evidence["longer_attempt_loss_share"] > OverfitOneBatch.LossToZero.Threshold);
        Assert.True(result.Evidence["larger_model_loss_share"] <= OverfitOneBatch.LossToZero.Threshold);
        Assert.Contains("the model is too small", result.Finding);
    }

    [Fact]
    public void Given_the_same_models_behind_a_transform_that_zeroes_the_inputs_When_overfit_Then_neither_retry_fits_and_it_fails_as_broken()
    {
        var broken = TooSmall() with { Transform = stored => zeros(stored.shape, dtype: float32) };

        var result = CheckAssert.Verdict(Verdict.Fail, new OverfitOneBatch(), broken, CheckOptions.Quick);

        Assert.True(result.Evidence["longer_attempt_loss_share"] > OverfitOneBatch.LossToZero.Threshold);
        Assert.True(result.Evidence["larger_model_loss_share"] > OverfitOneBatch.LossToZero.Threshold);
        Assert.Contains("neither twice the steps nor the larger model fit", result.Finding);
    }
}
