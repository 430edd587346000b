using System.Globalization;
using System.Net;
using System.Text;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>
/// A small inline SVG line chart: time (seconds from the start) across, one line per series, and the traffic weight
/// (0–100 %) as a dashed step line on its own right-hand scale. No script, no external resources.
/// </summary>
public sealed class SvgLineChart
{
    private const double Width = 720;
    private const double Height = 240;
    private const double Left = 60;
    private const double Right = 50;
    private const double Top = 20;
    private const double Bottom = 30;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points)> _series = [];
    private IReadOnlyList<(double X, double Weight)> _weight = [];

    public SvgLineChart(string title, Func<double, string> formatY)
    {
        Title = title;
        FormatY = formatY;
    }

    public string Title { get; }

    private Func<double, string> FormatY { get; }

    public SvgLineChart AddSeries(string name, IReadOnlyList<(double X, double Y)> points)
    {
        _series.Add((name, points));
        return this;
    }

    public SvgLineChart WithWeight(IReadOnlyList<(double X, double Weight)> points)
    {
        _weight = points;
        return this;
    }

    public string Render()
    {
        var xs = _series.SelectMany(s => s.Points.Select(p => p.X)).Concat(_weight.Select(p => p.X)).ToList();
        var maxX = xs.Count == 0 ? 1 : Math.Max(xs.Max(), 1);
        var ys = _series.SelectMany(s => s.Points.Select(p => p.Y)).ToList();
        var maxY = ys.Count == 0 || ys.Max() <= 0 ? 1 : ys.Max() * 1.1;
        double X(double x) => Left + (x / maxX * (Width - Left - Right));
        double Y(double y, double max) => Height - Bottom - (y / max * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Encode(Title)}\">"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"14\" font-size=\"13\" font-weight=\"bold\">{Encode(Title)}</text>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>"));
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var value = maxY * fraction;
            svg.Append(Invariant($"<text x=\"{Left - 4}\" y=\"{Y(value, maxY) + 4:0.#}\" font-size=\"10\" text-anchor=\"end\">{Encode(FormatY(value))}</text>"));
        }

        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{Height - 10}\" font-size=\"10\">+0s</text>"));
        svg.Append(Invariant($"<text x=\"{Width - Right}\" y=\"{Height - 10}\" font-size=\"10\" text-anchor=\"end\">{Encode(ReportText.Offset(TimeSpan.FromSeconds(maxX)))}</text>"));

        if (_weight.Count > 0)
        {
            var path = new StringBuilder();
            double? last = null;
            foreach (var (x, weight) in _weight)
            {
                if (last is { } previous)
                {
                    path.Append(Invariant($" L{X(x):0.#},{Y(previous, 100):0.#}"));
                }

                path.Append(Invariant($"{(last is null ? "M" : " L")}{X(x):0.#},{Y(weight, 100):0.#}"));
                last = weight;
            }

            svg.Append(Invariant($"<path d=\"{path}\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\"><title>weight %</title></path>"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 4}\" y=\"{Top + 4}\" font-size=\"10\">100%</text>"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 4}\" y=\"{Height - Bottom}\" font-size=\"10\">0%</text>"));
        }

        for (var i = 0; i < _series.Count; i++)
        {
            var (name, points) = _series[i];
            var color = Colors[i % Colors.Length];
            if (points.Count > 0)
            {
                var coordinates = string.Join(" ", points.Select(p => Invariant($"{X(p.X):0.#},{Y(p.Y, maxY):0.#}")));
                svg.Append(Invariant($"<polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"><title>{Encode(name)}</title></polyline>"));
            }

            svg.Append(Invariant($"<text x=\"{Left + 10 + (i * 160)}\" y=\"{Top + 12}\" font-size=\"11\" fill=\"{color}\">{Encode(name)}</text>"));
        }

        if (_weight.Count > 0)
        {
            svg.Append(Invariant($"<text x=\"{Left + 10 + (_series.Count * 160)}\" y=\"{Top + 12}\" font-size=\"11\" fill=\"#999\">weight (dashed)</text>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
