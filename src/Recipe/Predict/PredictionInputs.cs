using System.Globalization;
using Recipe.Data;
using Recipe.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Predict;

/// <summary>
/// New examples to predict, stored exactly as the training data was (uint8 images, standardized table features,
/// token ids), with their labels when the data carries them.
/// </summary>
/// <param name="Inputs">(N, …) as in <see cref="DataSplit.Inputs"/>.</param>
/// <param name="Targets">Class ids, regression values or next tokens; null when the data has no labels.</param>
/// <param name="Origins">Where each example came from (a file, "line 12", "#3").</param>
public sealed record PredictionInputs(Tensor Inputs, Tensor? Targets, IReadOnlyList<string> Origins, IReadOnlyList<string> Notes) : IDisposable
{
    public int Count => (int)Inputs.shape[0];

    public void Dispose()
    {
        Inputs.Dispose();
        Targets?.Dispose();
    }

    /// <summary>
    /// Reads <paramref name="spec"/> as data of the kind <paramref name="card"/>'s model was trained on.
    /// </summary>
    /// <exception cref="DataException">Unreadable data, or data whose shape, channels, columns or characters differ from the training data's.</exception>
    public static PredictionInputs Read(string spec, ModelCard card) => spec switch
    {
        // the built-in names `recipe run` accepts, read as it reads them (fashion-mnist falls back to the embedded sample)
        "fashion-mnist" or "fashion-mnist-sample" => ReadBuiltInImages(spec, card),
        "words" => ReadText(File.Exists(DataSpec.SystemWords) ? DataSpec.SystemWords
            : throw new DataException(DataSpec.SystemWords, "path", "the word list from Debian's wamerican package (apt-get install wamerican)"), card),
        _ when card.Task == TaskKind.Sequence => ReadText(spec, card),
        _ when card.Table is { } table => ReadTable(spec, table, card),
        _ => ReadImages(spec, card),
    };

    /// <summary>A built-in image data set: its test split (the IDX t10k files, or the embedded sample's), with labels.</summary>
    static PredictionInputs ReadBuiltInImages(string spec, ModelCard card)
    {
        if (card.Task == TaskKind.Sequence || card.Table is not null || card.ExampleShape.Length != 3)
            throw new DataException(spec, "--data", $"data of the kind the model was trained on ({card.DataFormat} like {card.TrainedOn}), found the built-in image data set {spec}");
        if (spec == "fashion-mnist" && Directory.Exists(DataSpec.SystemFashionMnist)) return ReadIdx(DataSpec.SystemFashionMnist, card);
        using var data = DataSpec.Load(spec);
        if (!data.ExampleShape.SequenceEqual(card.ExampleShape))
            throw new DataException(data.Source, "shape", $"{string.Join("x", card.ExampleShape)} images as the model was trained on, found {string.Join("x", data.ExampleShape)}");
        if (data.ClassNames.Count > card.ClassNames.Length)
            throw new DataException(data.Source, "labels", $"at most {card.ClassNames.Length} classes (the model's), found {data.ClassNames.Count}");
        var test = data.Test;
        return new PredictionInputs(test.Inputs.clone(), test.Targets.clone(), Enumerable.Range(0, test.Count).Select(i => $"#{i}").ToArray(),
            [$"the test split of {data.Name} ({data.Source}), with its labels"]);
    }

    // ---- images -------------------------------------------------------------------------------------------------

    static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    static PredictionInputs ReadImages(string spec, ModelCard card)
    {
        if (card.ExampleShape.Length != 3) throw new InvalidOperationException("an image model has a (C, H, W) input shape");
        if (!Directory.Exists(spec) && !File.Exists(spec))
            throw new DataException(spec, "path", "an IDX folder or file, an image folder or an image file, found nothing there");
        if (IsIdx(spec) || Directory.Exists(spec) && Directory.EnumerateFiles(spec).Any(IsIdx)) return ReadIdx(spec, card);
        return ReadImageFiles(spec, card);
    }

    static bool IsIdx(string path) => Path.GetFileName(path).Contains("-idx", StringComparison.Ordinal);

    /// <summary>An IDX images file (labels beside it when present), or a folder: its test images, else its only images file.</summary>
    static PredictionInputs ReadIdx(string spec, ModelCard card)
    {
        string images;
        if (File.Exists(spec)) images = spec;
        else
        {
            var candidates = Directory.EnumerateFiles(spec).Where(f => Path.GetFileName(f).Contains("images-idx3", StringComparison.Ordinal)).Order().ToList();
            images = candidates.FirstOrDefault(f => Path.GetFileName(f).StartsWith("t10k") || Path.GetFileName(f).StartsWith("test"))
                     ?? (candidates.Count == 1 ? candidates[0] : throw new DataException(spec, "folder",
                         $"one IDX images file, or t10k-/test- images among several, found {candidates.Count} images files"));
        }
        RegularFile.Require(images);
        var x = IdxReader.Read(images);
        if (x.Dimensions.Length != 3)
            throw new DataException(images, "byte 3", $"3 dimensions (count, rows, columns) for images, found {x.Dimensions.Length}");
        long channels = card.ExampleShape[0], height = card.ExampleShape[1], width = card.ExampleShape[2];
        if (channels != 1)
            throw new DataException(images, "header", $"{channels}-channel images as the model was trained on, found 1-channel (grey) IDX images");
        if (x.Dimensions[1] != height || x.Dimensions[2] != width)
            throw new DataException(images, "byte 8", $"{height}x{width} images as the model was trained on, found {x.Dimensions[1]}x{x.Dimensions[2]}");
        var inputs = torch.tensor(x.Data, dtype: uint8).reshape(x.Count, 1, height, width);

        var labelsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(images))!, Path.GetFileName(images).Replace("images-idx3", "labels-idx1"));
        Tensor? targets = null;
        var notes = new List<string>();
        if (File.Exists(labelsPath))
        {
            var y = IdxReader.Read(labelsPath);
            if (y.Dimensions.Length != 1 || y.Count != x.Count)
                throw new DataException(labelsPath, "byte 4", $"{x.Count} labels, one per image in {Path.GetFileName(images)}, found {y.Count}");
            int bad = Array.FindIndex(y.Data, label => label >= card.ClassNames.Length);
            if (bad >= 0)
                throw new DataException(labelsPath, $"byte {8 + bad}", $"a label below {card.ClassNames.Length} (the model's classes), found {y.Data[bad]}");
            targets = torch.tensor(y.Data, dtype: uint8).to_type(int64);
            notes.Add($"labels from {labelsPath}");
        }
        return new PredictionInputs(inputs, targets, Enumerable.Range(0, x.Count).Select(i => $"#{i}").ToArray(), notes);
    }

    /// <summary>An image file, a folder of images, or a folder of class subfolders (train/ and test/: test/ is read).</summary>
    static PredictionInputs ReadImageFiles(string spec, ModelCard card)
    {
        var files = new List<(string Path, long Label)>();
        bool labelled = false;
        if (File.Exists(spec)) files.Add((spec, -1));
        else
        {
            var folder = Directory.Exists(Path.Combine(spec, "test")) ? Path.Combine(spec, "test") : spec;
            var classFolders = Directory.EnumerateDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
            labelled = classFolders.Count > 0;
            foreach (var classFolder in classFolders)
            {
                var name = Path.GetFileName(classFolder);
                int label = Array.IndexOf(card.ClassNames, name);
                if (label < 0)
                    throw new DataException(classFolder, "folder", $"a class the model knows ({string.Join(", ", card.ClassNames.Take(12))}), found '{name}'");
                files.AddRange(ImagesIn(classFolder).Select(f => (f, (long)label)));
            }
            if (!labelled) files.AddRange(ImagesIn(folder).Select(f => (f, -1L)));
            if (files.Count == 0) throw new DataException(folder, "folder", "PNG or JPEG images (or one subfolder of them per class), found none");
        }
        long channels = card.ExampleShape[0], height = card.ExampleShape[1], width = card.ExampleShape[2];
        if (height != width) throw new DataException(spec, "model", $"an IDX file: the model was trained on {height}x{width} IDX images, image files are resized to squares");
        int size = (int)height, plane = size * size;
        var pixels = new byte[files.Count * channels * plane];
        for (int n = 0; n < files.Count; n++)
        {
            var rgb = ImageDecoder.DecodeResized(files[n].Path, size);
            bool gray = Enumerable.Range(0, plane).All(p => rgb[3 * p] == rgb[3 * p + 1] && rgb[3 * p] == rgb[3 * p + 2]);
            if (channels == 1 && !gray)
                throw new DataException(files[n].Path, "pixels", "a grey image: the model was trained on 1-channel (grey) images, found a colour one");
            long offset = n * channels * plane;
            for (int p = 0; p < plane; p++)
                for (int c = 0; c < channels; c++)
                    pixels[offset + c * plane + p] = rgb[3 * p + c]; // HWC -> CHW; a grey image fills every channel alike
        }
        var inputs = torch.tensor(pixels, dtype: uint8).reshape(files.Count, channels, size, size);
        var targets = labelled ? torch.tensor(files.Select(f => f.Label).ToArray(), dtype: int64) : null;
        return new PredictionInputs(inputs, targets, files.Select(f => f.Path).ToArray(), labelled ? ["labels from the class folders"] : []);
    }

    static IEnumerable<string> ImagesIn(string folder) => Directory.EnumerateFiles(folder)
        .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.'))
        .Order(StringComparer.Ordinal);

    // ---- tables -------------------------------------------------------------------------------------------------

    /// <summary>A CSV with every feature column the model was trained on (by name), and the target column when labels are known.</summary>
    static PredictionInputs ReadTable(string path, TableSchema table, ModelCard card)
    {
        if (Directory.Exists(path) || !path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !File.Exists(path))
            throw new DataException(path, "path", "a CSV file with the columns the model was trained on, found " + (Directory.Exists(path) ? "a folder" : "nothing there"));
        RegularFile.Require(path);
        List<CsvParser.Record> records;
        using (var reader = new StringReader(Utf8Text.Read(path))) records = CsvParser.Parse(reader, path).ToList();
        if (records.Count == 0) throw new DataException(path, "line 1", "a header row naming the columns, found an empty file");
        var trained = table.Columns.Select(c => c.Name).Append(table.TargetColumn).ToHashSet();
        string[] header;
        if (table.NoHeader)
        {
            int expected = table.Columns.Length + 1;
            int found = records[0].Fields.Length;
            if (found != expected && found != expected - 1)
                throw new DataException(path, "line 1", $"{expected - 1} feature columns (and the target) as the model was trained on, found {found} fields");
            header = Enumerable.Range(0, found).Select(c => $"col{c}").ToArray();
            if (found == expected - 1) // the target column is absent: the features keep their training positions
                header = Enumerable.Range(0, expected).Select(c => $"col{c}").Where(n => n != table.TargetColumn).ToArray();
        }
        else header = records[0].Fields.Select(h => h.Trim()).ToArray();
        var rows = table.NoHeader ? records : records.Skip(1).ToList();

        var missing = table.Columns.Select(c => c.Name).Where(n => !header.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new DataException(path, "line 1 (header)", $"the columns the model was trained on; missing: {string.Join(", ", missing.Take(6))}{(missing.Count > 6 ? ", …" : "")}");
        var extra = header.Where(h => !trained.Contains(h)).ToList();
        if (extra.Count > 0)
            throw new DataException(path, "line 1 (header)", $"only the columns the model was trained on ({string.Join(", ", trained.Take(8))}{(trained.Count > 8 ? ", …" : "")}); unknown: {string.Join(", ", extra.Take(6))}");
        if (rows.Count == 0) throw new DataException(path, "line 2", "at least one data row after the header");

        int targetIndex = Array.IndexOf(header, table.TargetColumn);
        var features = new float[rows.Count * table.FeatureNames.Length];
        var targets = targetIndex >= 0 ? new float[rows.Count] : null;
        int unseen = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Fields.Length != header.Length)
                throw new DataException(path, $"line {row.Line}", $"{header.Length} fields as in the header, found {row.Fields.Length}");
            var values = new Dictionary<string, string?>();
            for (int c = 0; c < header.Length; c++)
                values[header[c]] = CsvDataset.IsMissing(row.Fields[c]) ? null : row.Fields[c].Trim();
            foreach (var column in table.Columns.Where(c => c.Kind == ColumnKind.Numeric))
                if (values[column.Name] is { } raw && double.IsNaN(CsvDataset.ParseNumber(raw)))
                    throw new DataException(path, $"line {row.Line}, column '{column.Name}'", $"a number (the column was numeric in training; write NA for a missing value), found '{raw}'");
            var (x, unseenColumns) = table.Featurize(values);
            unseen += unseenColumns.Count;
            Array.Copy(x, 0, features, (long)r * x.Length, x.Length);
            if (targets is not null) targets[r] = TargetOf(path, row.Line, table.TargetColumn, values[table.TargetColumn], card);
        }
        var notes = new List<string>();
        if (targets is not null) notes.Add($"labels from column '{table.TargetColumn}'");
        if (unseen > 0) notes.Add($"{unseen} categorical values never seen in training were encoded as no category (all zeros)");
        var inputs = torch.tensor(features, dtype: float32).reshape(rows.Count, table.FeatureNames.Length);
        Tensor? targetTensor = targets is null ? null
            : card.Task == TaskKind.Classification ? torch.tensor(targets).to_type(int64) : torch.tensor(targets, dtype: float32);
        return new PredictionInputs(inputs, targetTensor, rows.Select(r => $"line {r.Line}").ToArray(), notes);
    }

    static float TargetOf(string path, int line, string column, string? raw, ModelCard card)
    {
        if (raw is null) throw new DataException(path, $"line {line}, column '{column}'", "a target value in every row (or no target column at all), found a missing one");
        if (card.Task == TaskKind.Regression)
        {
            double value = CsvDataset.ParseNumber(raw);
            return double.IsNaN(value) ? throw new DataException(path, $"line {line}, column '{column}'", $"a number, found '{raw}'") : (float)value;
        }
        int index = Array.IndexOf(card.ClassNames, raw);
        if (index < 0 && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            index = Array.FindIndex(card.ClassNames, n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c == number);
        return index >= 0 ? index
            : throw new DataException(path, $"line {line}, column '{column}'", $"a class the model knows ({string.Join(", ", card.ClassNames.Take(12))}), found '{raw}'");
    }

    // ---- text ---------------------------------------------------------------------------------------------------

    /// <summary>One sequence per non-empty line, every character in the model's vocabulary; the next characters are the labels.</summary>
    static PredictionInputs ReadText(string path, ModelCard card)
    {
        if (Directory.Exists(path)) throw new DataException(path, "path", "a text file, one sequence per line, found a folder");
        RegularFile.Require(path);
        var vocabulary = card.VocabularyObject ?? throw new DataException(path, "model", "a text model with a vocabulary");
        var text = Utf8Text.Decode(File.ReadAllBytes(path), path);
        var all = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var numbered = all.Select((line, i) => (Line: line, Number: i + 1)).Where(p => p.Line.Length > 0).ToList();
        if (numbered.Count == 0) throw new DataException(path, "line 1", "at least one non-empty line");
        foreach (var (line, number) in numbered)
            for (int c = 0; c < line.Length; c++)
                if (!vocabulary.Contains(line[c]))
                    throw new DataException(path, $"line {number}, character {c + 1}", $"a character of the model's vocabulary ({vocabulary.Size - 1} characters), found '{line[c]}' (U+{(int)line[c]:X4})");
        // the longest line the model was trained on: a transformer learned no positions beyond it
        int longest = (int)Math.Min(card.ExampleShape[0] - 1, TextLinesDataset.MaxLineLength);
        var lines = numbered.Select(p => p.Line.Length > longest ? p.Line[..longest] : p.Line).ToArray();
        int cut = numbered.Count(p => p.Line.Length > longest);
        int steps = lines.Max(l => l.Length) + 1;
        var x = new long[lines.Length * steps];
        var y = new long[lines.Length * steps];
        Array.Fill(y, Training.Losses.IgnoreIndex);
        for (int n = 0; n < lines.Length; n++)
        {
            for (int t = 0; t < lines[n].Length; t++)
            {
                long token = vocabulary.Encode(lines[n][t]);
                x[n * steps + t + 1] = token;
                y[n * steps + t] = token;
            }
            y[n * steps + lines[n].Length] = 0;
        }
        return new PredictionInputs(torch.tensor(x, dtype: int64).reshape(lines.Length, steps), torch.tensor(y, dtype: int64).reshape(lines.Length, steps),
            numbered.Select(p => $"line {p.Number}").ToArray(), cut > 0 ? [$"{cut} lines longer than the {longest} characters the model was trained on were cut to {longest}"] : []) { Lines = lines };
    }

    /// <summary>Text only: the lines as read (cut to the training's longest line length).</summary>
    public IReadOnlyList<string>? Lines { get; init; }
}
