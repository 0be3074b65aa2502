using System.Globalization;
using System.Text;

namespace HardNegatives.Interactive.Formatting;

/// <summary>
/// Training curves as an inline SVG line chart: no script, so it shows offline, on code hosts and in exported HTML.
/// Axes: optimizer step (x) and loss (y, from 0 or the lowest loss to the highest).
/// </summary>
public static class TrainingCurveHtml
{
    static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
    const int Width = 560, Height = 280, Left = 56, Right = 12, Top = 12, Bottom = 36;

    public static string Render(TrainingCurve curve) => Render([curve]);

    public static string Render(IReadOnlyList<TrainingCurve> curves)
    {
        var points = curves.SelectMany(c => c.Points).ToList();
        if (points.Count == 0) return Html.Wrap("<div class=\"hn-muted\">no training steps logged yet</div>");
        double x0 = points.Min(p => p.Step), x1 = Math.Max(points.Max(p => p.Step), x0 + 1);
        double y0 = Math.Min(0, points.Min(p => p.Loss)), y1 = points.Max(p => p.Loss);
        if (y1 <= y0) y1 = y0 + 1;
        double X(double step) => Left + (step - x0) / (x1 - x0) * (Width - Left - Right);
        double Y(double loss) => Top + (1 - (loss - y0) / (y1 - y0)) * (Height - Top - Bottom);
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"training loss\" style=\"background:#fff\">");
        // Axes with 5 ticks each.
        sb.Append($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");
        sb.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");
        for (int i = 0; i <= 4; i++)
        {
            double step = x0 + (x1 - x0) * i / 4, loss = y0 + (y1 - y0) * i / 4;
            sb.Append($"<text x=\"{F(X(step))}\" y=\"{Height - Bottom + 14}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">{Html.Number((long)Math.Round(step))}</text>");
            sb.Append($"<text x=\"{Left - 4}\" y=\"{F(Y(loss) + 3)}\" font-size=\"10\" text-anchor=\"end\" fill=\"#333\">{loss.ToString("0.###", CultureInfo.InvariantCulture)}</text>");
            sb.Append($"<line x1=\"{Left}\" y1=\"{F(Y(loss))}\" x2=\"{Width - Right}\" y2=\"{F(Y(loss))}\" stroke=\"#ddd\"/>");
        }
        sb.Append($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">step</text>");
        sb.Append($"<text x=\"12\" y=\"{(Top + Height - Bottom) / 2}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\" transform=\"rotate(-90 12 {(Top + Height - Bottom) / 2})\">loss</text>");
        for (int c = 0; c < curves.Count; c++)
        {
            var color = Colors[c % Colors.Length];
            var path = string.Join(" ", curves[c].Points.Select(p => $"{F(X(p.Step))},{F(Y(p.Loss))}"));
            sb.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{path}\"><title>{Html.Encode(curves[c].Label)}</title></polyline>");
            sb.Append($"<rect x=\"{Width - Right - 150}\" y=\"{Top + 4 + 14 * c}\" width=\"10\" height=\"3\" fill=\"{color}\"/>");
            sb.Append($"<text x=\"{Width - Right - 136}\" y=\"{Top + 8 + 14 * c}\" font-size=\"10\" fill=\"#333\">{Html.Encode(curves[c].Label)}</text>");
        }
        sb.Append("</svg>");
        var last = string.Join(" · ", curves.Where(c => c.Points.Count > 0).Select(c =>
            $"{c.Label}: step {c.Points[^1].Step}, loss {c.Points[^1].Loss.ToString("0.####", CultureInfo.InvariantCulture)}"));
        sb.Append("<div class=\"hn-muted\">").Append(Html.Encode(last)).Append("</div>");
        return Html.Wrap(sb.ToString());
    }
}
