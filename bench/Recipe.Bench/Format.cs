using System.Globalization;

namespace Recipe.Bench;

/// <summary>Numbers as the table shows them: three significant digits, thousands separated.</summary>
public static class Format
{
    public static string Number(double value)
    {
        double magnitude = Math.Abs(value);
        string format = magnitude >= 1000 ? "N0" : magnitude >= 100 ? "F0" : magnitude >= 10 ? "F1" : magnitude >= 1 ? "F2" : "F3";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A bound as written in a goal: 50,000 or 0.97, no padding digits.</summary>
    public static string Bound(double value) =>
        value.ToString(Math.Abs(value) >= 1000 ? "N0" : "0.###", CultureInfo.InvariantCulture);
}
