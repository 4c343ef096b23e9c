namespace Recipe.Inspect;

/// <summary>
/// What `recipe inspect` shows and the conditions that turn a measurement into a finding. Each
/// threshold is named here, with the reason for its value, and reported with the finding it produced.
/// </summary>
public sealed record InspectOptions
{
    /// <summary>Training examples shown per class in the galleries (a person should be able to scan thousands).</summary>
    public int GalleryPerClass { get; init; } = 200;

    /// <summary>Images in each strip of extremes (lowest and highest of a statistic).</summary>
    public int StripLength { get; init; } = 16;

    /// <summary>Most pictures of duplicate groups shown in the report (all are in summary.json).</summary>
    public int DuplicatePictures { get; init; } = 40;

    /// <summary>
    /// A class imbalance is reported when the largest class has at least this many times the examples of the smallest.
    /// Why 3: below it, a model trained on the plain loss still sees every class often enough and accuracy still
    /// tracks per-class quality (wine 1.5, breast cancer 1.7 train fine unweighted); from about 3 on, always predicting
    /// the large class already scores well, accuracy hides the small class's errors and class weights or resampling
    /// start to change what the model learns, so the choice of metric and loss deserves a decision.
    /// </summary>
    public double ImbalanceRatio { get; init; } = 3;

    /// <summary>Class shares of two splits differing by more than this total variation distance are reported.</summary>
    public double DistributionShift { get; init; } = 0.05;

    /// <summary>An example is an outlier when its robust z-score within its class exceeds this (6: far beyond noise).</summary>
    public double OutlierZ { get; init; } = 6;

    /// <summary>An image is blank when its brightest and darkest pixels differ by at most this (0..255).</summary>
    public int BlankRange { get; init; } = 8;

    /// <summary>Examples listed per outlier finding (all are counted); the most extreme first.</summary>
    public int ListedOutliers { get; init; } = 200;

    /// <summary>Rows listed per table column's outlier finding (all are counted): a column has a few surprising values, not a list to page through.</summary>
    public int ListedOutliersPerColumn { get; init; } = 5;

    /// <summary>Seed of the gallery sampling.</summary>
    public int Seed { get; init; } = 0;

    public NearDuplicateOptions NearDuplicates { get; init; } = new();

    /// <summary>Where to keep the image fingerprints for a later stage of the same run (null: freed after the audit).</summary>
    public FingerprintHandOff? FingerprintHandOff { get; init; }
}
