using Recipe.Data;

namespace Recipe.Stages;

/// <summary>The dataset facts every summary.json carries.</summary>
public static class DatasetSummary
{
    public static object Of(Dataset data) => new
    {
        data.Name,
        data.Source,
        Format = data.Format.ToString(),
        Task = data.Task.ToString(),
        Classes = data.ClassNames,
        ExampleShape = data.ExampleShape,
        Splits = data.Splits.ToDictionary(s => s.Name, s => s.Count),
        data.Notes,
    };
}
