using Recipe.Checks;
using Recipe.Data;

namespace Recipe.Bench.Corpus.Data;

/// <summary>
/// Every dataset the corpus uses, loaded once per process and shared by the pipelines (never disposed: the
/// process ends). Fashion-MNIST is a slice: Debian's copy when installed, else the embedded sample.
/// </summary>
public static class CorpusData
{
    static readonly Lazy<Dataset> FashionSlice = new(() =>
    {
        using var full = DataSpec.Load("fashion-mnist");
        return new Dataset
        {
            Name = "fashion-mnist (slice)", Source = full.Source, Format = full.Format, Task = full.Task, ClassNames = full.ClassNames,
            ExampleShape = full.ExampleShape,
            Train = CheckContext.First(full.Train, 1500, "train"),
            Validation = CheckContext.First(full.Validation, 500, "validation"),
            Test = CheckContext.First(full.Test, 200, "test"),
        };
    });
    static readonly Lazy<Dataset> ArrowsData = new(() => SyntheticImages.Arrows());
    static readonly Lazy<Dataset> BlobsData = new(() => SyntheticImages.ColourBlobs());
    static readonly Lazy<Dataset> SpotData = new(() => SyntheticImages.SpotColumn());
    static readonly Lazy<Dataset> WineData = new(Tables.Wine);
    static readonly Lazy<Dataset> CancerData = new(Tables.BreastCancer);
    static readonly Lazy<Dataset> DigitsData = new(Tables.Digits);
    static readonly Lazy<Dataset> DiabetesData = new(Tables.Diabetes);
    static readonly Lazy<Dataset> LoansData = new(Tables.Loans);
    static readonly Lazy<Dataset> WordsData = new(Texts.Words);
    static readonly Lazy<Dataset> NextCharData = new(() => Texts.NextCharacter());
    static readonly Lazy<Dataset> WavesData = new(() => Signals.WaveShapes());
    static readonly Lazy<Dataset> FrequencyData = new(() => Signals.SineFrequency());

    public static Dataset Fashion => FashionSlice.Value;
    public static Dataset Arrows => ArrowsData.Value;
    public static Dataset ColourBlobs => BlobsData.Value;
    public static Dataset SpotColumn => SpotData.Value;
    public static Dataset Wine => WineData.Value;
    public static Dataset BreastCancer => CancerData.Value;
    public static Dataset Digits => DigitsData.Value;
    public static Dataset Diabetes => DiabetesData.Value;
    public static Dataset Loans => LoansData.Value;
    public static Dataset Words => WordsData.Value;
    public static Dataset NextCharacter => NextCharData.Value;
    public static Dataset Waves => WavesData.Value;
    public static Dataset Frequency => FrequencyData.Value;
}
