using ScottPlot;
using Recipe.Training;

namespace Recipe.Diagnostics;

/// <summary>The diagnostics' pictures (ScottPlot → PNG bytes): confusion matrix, residuals, learning curve, training curves, activations.</summary>
public static class DiagnosticCharts
{
    /// <summary>Rows = given label, columns = prediction; the colour is the share of the row, the number the count.</summary>
    public static byte[] Confusion(ConfusionMatrix matrix, int size = 620)
    {
        var plot = new Plot();
        int n = matrix.ClassNames.Count;
        var shares = matrix.RowShares();
        var heatmap = plot.Add.Heatmap(shares);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues();
        // ScottPlot draws heatmap row 0 at the top already; with the inverted y axis below, row r sits at y = r like the counts
        heatmap.FlipVertically = false;
        var ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var names = matrix.ClassNames.Select(c => c.Length > 12 ? c[..11] + "…" : c).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, names);
        plot.Axes.Left.SetTicks(ticks, names);
        plot.Axes.Bottom.TickLabelStyle.Rotation = n > 4 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = n > 4 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        if (n <= 20)
            for (int g = 0; g < n; g++)
                for (int p = 0; p < n; p++)
                {
                    var text = plot.Add.Text(matrix.Counts[g, p].ToString(), p, g);
                    text.LabelFontSize = n > 10 ? 9 : 12;
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontColor = shares[g, p] > 0.5 ? Colors.Black : Colors.White; // ScottPlot's Blues runs from dark (0) to white (1)
                }
        plot.Axes.InvertY();
        plot.Add.ColorBar(heatmap);
        plot.Title("confusion matrix (row share; numbers are counts)");
        plot.XLabel("predicted");
        plot.YLabel("given label");
        return plot.GetImageBytes(size + 120, size, ImageFormat.Png);
    }

    /// <summary>Predicted against true, with the line y = x where a perfect model's points lie.</summary>
    public static byte[] PredictedVsTrue(RegressionResiduals residuals, int width = 560, int height = 480)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(residuals.Targets, residuals.Predicted);
        points.MarkerSize = 4;
        points.LegendText = "validation examples";
        double low = Math.Min(residuals.Targets.DefaultIfEmpty(0).Min(), residuals.Predicted.DefaultIfEmpty(0).Min());
        double high = Math.Max(residuals.Targets.DefaultIfEmpty(1).Max(), residuals.Predicted.DefaultIfEmpty(1).Max());
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.LegendText = "predicted = true";
        diagonal.LinePattern = LinePattern.Dashed;
        plot.Title("predicted vs true (validation)");
        plot.XLabel("true");
        plot.YLabel("predicted");
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>The measured points, the fitted power law and its 10–90 % bootstrap band, on log–log axes, out to twice the data.</summary>
    public static byte[] LearningCurve(LearningCurveReport report, int width = 700, int height = 420)
    {
        var plot = new Plot();
        var sizes = report.Points.Select(p => Math.Log10(p.Size)).ToArray();
        var errors = report.Points.Select(p => Math.Log10(Math.Max(p.Error, 1e-6))).ToArray();
        var measured = plot.Add.ScatterPoints(sizes, errors);
        measured.MarkerSize = 7;
        measured.LegendText = "measured (each seed)";
        if (report.Estimate is { } estimate)
        {
            double from = report.Points.Min(p => p.Size), to = 2.0 * report.TrainCount;
            var grid = Enumerable.Range(0, 40).Select(i => from * Math.Pow(to / from, i / 39.0)).ToArray();
            var x = grid.Select(Math.Log10).ToArray();
            var band = plot.Add.FillY(x, grid.Select(n => Math.Log10(estimate.ErrorQuantile(n, 0.1))).ToArray(), grid.Select(n => Math.Log10(estimate.ErrorQuantile(n, 0.9))).ToArray());
            band.FillColor = Colors.Orange.WithAlpha(0.25);
            band.LegendText = "10–90 % bootstrap band";
            var fit = plot.Add.ScatterLine(x, grid.Select(n => Math.Log10(estimate.Fit.At(n))).ToArray());
            fit.LegendText = $"fit: {estimate.Fit.Scale:G3} · n^-{estimate.Fit.Exponent:F2}";
            fit.Color = Colors.OrangeRed;
            var now = plot.Add.VerticalLine(Math.Log10(report.TrainCount));
            now.LinePattern = LinePattern.Dotted;
            now.LegendText = "the training split now";
        }
        plot.Title("learning curve (log10 axes)");
        plot.XLabel("log10 training examples");
        plot.YLabel($"log10 {report.ErrorName}");
        plot.ShowLegend(Alignment.UpperRight); // error falls with more data: the upper right is empty, the extrapolation lower right stays visible
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>
    /// Training and validation loss on one plot: the training batches' loss averaged over the steps between two
    /// validations (unsmoothed batch losses are too noisy to compare), and the whole validation split at each point.
    /// </summary>
    public static byte[] TrainAndValidation(TrainingResult training, int width = 800, int height = 380)
    {
        var plot = new Plot();
        var validations = training.Validations;
        var trainX = new List<double>();
        var trainY = new List<double>();
        int previous = 0;
        foreach (var point in validations.Where(v => v.Step > 0))
        {
            var window = training.StepLosses.Skip(previous).Take(point.Step - previous).ToArray();
            if (window.Length > 0) { trainX.Add(point.Step); trainY.Add(window.Average()); }
            previous = point.Step;
        }
        var train = plot.Add.Scatter(trainX.ToArray(), trainY.ToArray());
        train.LegendText = "train (mean batch loss since the last validation)";
        var validation = plot.Add.Scatter(validations.Select(v => (double)v.Step).ToArray(), validations.Select(v => v.Result.Loss).ToArray());
        validation.LegendText = "validation (whole split)";
        plot.Title("training and validation loss");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>One histogram per layer of its output values over the probe batch, the panels side by side in one PNG.</summary>
    public static byte[] Activations(IReadOnlyList<LayerActivations> layers, int panelWidth = 300, int height = 260)
    {
        var panels = layers.Select(layer =>
        {
            var plot = new Plot();
            var values = layer.Sample.Where(float.IsFinite).Select(v => (double)v).ToArray();
            if (values.Length > 0)
            {
                double min = values.Min(), max = values.Max();
                if (max <= min) max = min + 1;
                var histogram = ScottPlot.Statistics.Histogram.WithBinCount(40, min, max);
                histogram.AddRange(values);
                plot.Add.Histogram(histogram);
            }
            plot.Title($"{layer.Layer}: {layer.DeadFraction:P0} dead", size: 12);
            return plot.GetImageBytes(panelWidth, height, ImageFormat.Png);
        }).ToList();
        using var canvasBitmap = new SkiaSharp.SKBitmap(Math.Max(1, panels.Count) * panelWidth, height);
        using (var canvas = new SkiaSharp.SKCanvas(canvasBitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.White);
            for (int i = 0; i < panels.Count; i++)
            {
                using var panel = SkiaSharp.SKBitmap.Decode(panels[i]);
                canvas.DrawBitmap(panel, i * panelWidth, 0);
            }
        }
        using var image = SkiaSharp.SKImage.FromBitmap(canvasBitmap);
        using var png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
