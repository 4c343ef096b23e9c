namespace Recipe.Inspect;

/// <summary>
/// Settings of the near-duplicate search (see <see cref="NearDuplicates"/>). The defaults were chosen on
/// real Fashion-MNIST with planted copies (noise, 1–2 pixel shifts, brightness changes): every planted
/// copy is within both thresholds while few distinct photographs are (see the tests and the benchmark).
/// </summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Side of the square every image is resampled to before comparing (28: Fashion-MNIST needs no resampling).</summary>
    public int WorkSize { get; init; } = 28;

    /// <summary>Gaussian blur (work pixels) against pixel noise; small, so that detail still tells similar photographs apart.</summary>
    public double BlurSigma { get; init; } = 0.5;

    /// <summary>Largest shift (work pixels, each axis) a near duplicate may have; every shift up to it is probed.</summary>
    public int MaxShift { get; init; } = 2;

    /// <summary>Side of a descriptor cell (work pixels): the descriptor is the mean of each cell of the central window.</summary>
    public int CellSize { get; init; } = 4;

    /// <summary>
    /// Candidate threshold: RMS difference of two descriptors (cell means of the normalized images, at
    /// the best probed shift) at or below which a pair is verified.
    /// </summary>
    public double DescriptorThreshold { get; init; } = 0.07;

    /// <summary>
    /// The verified distance at or below which two images are near duplicates: the RMS difference of the
    /// two normalized images (background removed, divided by their own standard deviation) over the
    /// central window, at the best shift. 0 = identical up to brightness and position. Stage 1 uses this as a ceiling and
    /// reports pairs within the threshold measured on the data (<see cref="LookAlikeControl"/>); split-integrity uses it as is.
    /// </summary>
    public double Threshold { get; init; } = 0.11;

    /// <summary>
    /// Neighbours that make an image's crowd: its distance to the k-th nearest other candidate is the control a near
    /// duplicate must beat (see <see cref="DistinctivePairs"/>). 5: larger than the groups of copies real data holds
    /// (a copy among 3 others still stands out), small enough that a dense class has that many look-alikes.
    /// </summary>
    public int CrowdNeighbours { get; init; } = 5;

    /// <summary>A near duplicate is at most this share of the crowd's distance: clearly closer than the look-alikes around it.</summary>
    public double DistinctRatio { get; init; } = 0.5;

    /// <summary>Target number of images per leaf of the inverted index (two levels of k-means).</summary>
    public int LeafSize { get; init; } = 48;

    /// <summary>Top-level clusters and leaves each probe is routed to (more: higher recall, more work).</summary>
    public int TopProbes { get; init; } = 2;
    public int LeafProbes { get; init; } = 3;

    /// <summary>Seed of the k-means initialisation (the search is deterministic).</summary>
    public int Seed { get; init; } = 1_234;
}
