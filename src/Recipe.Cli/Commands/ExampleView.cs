using Recipe.Data;
using Spectre.Console;
using static TorchSharp.torch;

namespace Recipe.Cli.Commands;

/// <summary>Shows one example in the terminal: images as a pixel canvas, table rows as their raw values.</summary>
public static class ExampleView
{
    public static void Show(Dataset data, int index)
    {
        var split = data.Test;
        if (split.Inputs.dtype == ScalarType.Byte)
        {
            using var image = split.Inputs[index]; // (C, H, W)
            long c = image.shape[0], h = image.shape[1], w = image.shape[2];
            var pixels = image.contiguous().data<byte>().ToArray();
            var canvas = new Canvas((int)w, (int)h);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    byte r = pixels[y * w + x];
                    byte g = c == 3 ? pixels[h * w + y * w + x] : r;
                    byte b = c == 3 ? pixels[2 * h * w + y * w + x] : r;
                    canvas.SetPixel(x, y, new Color(r, g, b));
                }
            AnsiConsole.Write(canvas);
        }
        else if (data.Table is { } table)
        {
            int row = (int)split.SourceIndices[index];
            var grid = new Spectre.Console.Table().AddColumn("column").AddColumn("value");
            foreach (var column in table.Features) grid.AddRow(Markup.Escape(column.Name), Markup.Escape(column.Raw[row] ?? "(missing)"));
            AnsiConsole.Write(grid);
        }
    }
}
