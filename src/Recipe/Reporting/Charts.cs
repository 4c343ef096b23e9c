using ScottPlot;

namespace Recipe.Reporting;

/// <summary>Small ScottPlot charts rendered to PNG bytes for the reports.</summary>
public static class Charts
{
    /// <summary>One line per series over a shared x axis (e.g. loss per step).</summary>
    public static byte[] Lines(string title, string xLabel, string yLabel, IEnumerable<(string Name, double[] X, double[] Y)> series, int width = 800, int height = 360)
    {
        var plot = new Plot();
        foreach (var (name, x, y) in series)
        {
            var scatter = plot.Add.Scatter(x, y);
            scatter.LegendText = name;
            scatter.MarkerSize = x.Length > 50 ? 0 : 4;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Points without lines, one colour per series (e.g. loss against gradient per example).</summary>
    public static byte[] Scatter(string title, string xLabel, string yLabel, IEnumerable<(string Name, double[] X, double[] Y)> series, int width = 600, int height = 360)
    {
        var plot = new Plot();
        foreach (var (name, x, y) in series)
        {
            var points = plot.Add.ScatterPoints(x, y);
            points.LegendText = name;
            points.MarkerSize = 6;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>A matrix as a heatmap, entry [i, j] at x = j, y = i (so the axis labels are the indices), e.g. which output depends on which input.</summary>
    public static byte[] Heatmap(string title, string xLabel, string yLabel, double[,] values, int width = 640, int height = 520)
    {
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.FlipVertically = true; // ScottPlot draws row 0 at the top; put it at y = 0
        plot.Add.ColorBar(heatmap);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Bars with category labels (e.g. examples per class).</summary>
    public static byte[] Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, int width = 800, int height = 360)
    {
        var plot = new Plot();
        plot.Add.Bars(values.ToArray());
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = labels.Count > 6 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = labels.Count > 6 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>A histogram of values with the given number of bins.</summary>
    public static byte[] Histogram(string title, string xLabel, IReadOnlyList<double> values, int bins = 40, int width = 600, int height = 300)
    {
        var plot = new Plot();
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length > 0)
        {
            double min = finite.Min(), max = finite.Max();
            if (max <= min) max = min + 1;
            var hist = ScottPlot.Statistics.Histogram.WithBinCount(bins, min, max);
            hist.AddRange(finite);
            plot.Add.Histogram(hist);
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("examples");
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Bars grouped by category, one colour per series (e.g. the class shares of each split side by side).</summary>
    public static byte[] GroupedBars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, double[] Values)> series, int width = 900, int height = 380)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int groups = series.Count;
        double barWidth = 0.8 / Math.Max(1, groups);
        for (int s = 0; s < groups; s++)
        {
            var color = palette.GetColor(s);
            var bars = series[s].Values.Select((v, i) => new Bar
            {
                Position = i - 0.4 + barWidth * (s + 0.5),
                Value = v,
                Size = barWidth,
                FillColor = color,
                LineWidth = 0,
            }).ToList();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = color });
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(), categories.ToArray());
        if (categories.Count > 12)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = 90;   // room for the rotated labels
        }
        plot.Axes.Margins(bottom: 0);
        plot.YLabel(yLabel);
        plot.Title(title);
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
