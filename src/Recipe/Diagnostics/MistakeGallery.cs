using Recipe.Data;
using Recipe.Reporting;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>One example of a gallery: its index in the split, a short caption and a longer description.</summary>
public sealed record GalleryItem(int Index, string Caption, string Description);

/// <summary>Examples chosen by a diagnostic (highest loss, suspected label), with a thumbnail grid for images.</summary>
public sealed record MistakeGallery(string Split, IReadOnlyList<GalleryItem> Items, byte[]? Thumbnails)
{
    /// <summary>
    /// Image data (uint8 (N, C, H, W) inputs) gets a grid with a caption under each thumbnail; other data gets
    /// descriptions only (<see cref="ExampleDescription"/>).
    /// </summary>
    public static MistakeGallery Of(Dataset data, DataSplit split, IReadOnlyList<(int Index, string Caption)> chosen, int columns = 8)
    {
        var items = chosen.Select(c => new GalleryItem(c.Index, c.Caption, ExampleDescription.Of(data, split, c.Index))).ToList();
        byte[]? thumbnails = null;
        if (chosen.Count > 0 && split.Inputs.dtype == uint8 && split.Inputs.dim() == 4)
        {
            using var index = tensor(chosen.Select(c => (long)c.Index).ToArray(), dtype: int64);
            using var images = split.Inputs.index_select(0, index);
            int scale = images.shape[3] <= 32 ? 3 : 1;
            thumbnails = ImageGrid.Render(images, columns: Math.Min(columns, chosen.Count), scale: scale, labels: chosen.Select(c => c.Caption).ToList());
        }
        return new MistakeGallery(split.Name, items, thumbnails);
    }
}
