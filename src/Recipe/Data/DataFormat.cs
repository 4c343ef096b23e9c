namespace Recipe.Data;

/// <summary>The on-disk formats Recipe reads; detected from the path by <see cref="DataSpec"/>.</summary>
public enum DataFormat
{
    /// <summary>IDX files (the MNIST family), raw or gzip-compressed.</summary>
    Idx,
    /// <summary>A CSV table with a header row and a named target column.</summary>
    Csv,
    /// <summary>A folder with one subfolder of PNG/JPEG images per class.</summary>
    ImageFolder,
    /// <summary>A text file with one sequence per line.</summary>
    TextLines,
}
