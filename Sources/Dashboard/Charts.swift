import Mail
import Dunning
import Store

/// Charts drawn on the server as SVG: no scripts, nothing fetched.
public enum Charts {
    /// Bars for current, 1–30, 31–60, 61–90 and 90+ days past due, scaled to the largest.
    public static func aging(_ aging: AgingRow?, currency: String) -> String {
        let buckets: [(String, Int64)] = [("current", aging?.current ?? 0), ("1–30", aging?.days1To30 ?? 0),
                                          ("31–60", aging?.days31To60 ?? 0), ("61–90", aging?.days61To90 ?? 0),
                                          ("90+", aging?.daysOver90 ?? 0)]
        let largest = max(buckets.map(\.1).max() ?? 0, 1)
        var svg = ##"<svg xmlns="http://www.w3.org/2000/svg" width="520" height="170" role="img" aria-label="aging \##(HTMLText.escape(currency))">"##
        for (index, bucket) in buckets.enumerated() {
            let height = Int(Double(bucket.1) / Double(largest) * 120)
            let x = 10 + index * 100
            svg += ##"<rect x="\##(x)" y="\##(130 - height)" width="80" height="\##(height)" fill="\##(index == 0 ? "#6a9" : "#d75")"/>"##
            svg += ##"<text x="\##(x + 40)" y="148" text-anchor="middle" font-size="12">\##(HTMLText.escape(bucket.0))</text>"##
            svg += ##"<text x="\##(x + 40)" y="164" text-anchor="middle" font-size="11">\##(HTMLText.escape(Figures.money(bucket.1, currency)))</text>"##
        }
        return svg + "</svg>"
    }

    /// A line through (label, value) points; missing values leave a gap.
    public static func trend(_ points: [(label: String, value: Double?)], unit: String) -> String {
        let width = 520, height = 170, left = 40, bottom = 140
        let values = points.compactMap(\.value)
        let top = max(values.max() ?? 0, 1) * 1.1
        let step = points.count > 1 ? (width - left - 20) / (points.count - 1) : 0
        var svg = ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(width)" height="\##(height)" role="img" aria-label="trend">"##
        svg += ##"<line x1="\##(left)" y1="\##(bottom)" x2="\##(width - 10)" y2="\##(bottom)" stroke="#999"/>"##
        var path: [String] = []
        for (index, point) in points.enumerated() {
            let x = left + index * step
            svg += ##"<text x="\##(x)" y="\##(bottom + 16)" text-anchor="middle" font-size="11">\##(HTMLText.escape(point.label))</text>"##
            guard let value = point.value else { continue }
            let y = bottom - Int(value / top * Double(bottom - 20))
            path.append("\(path.isEmpty ? "M" : "L")\(x),\(y)")
            svg += ##"<circle cx="\##(x)" cy="\##(y)" r="3" fill="#36c"/>"##
            svg += ##"<text x="\##(x)" y="\##(y - 8)" text-anchor="middle" font-size="11">\##(HTMLText.escape("\(value) \(unit)"))</text>"##
        }
        if !path.isEmpty { svg += ##"<path d="\##(path.joined(separator: " "))" fill="none" stroke="#36c" stroke-width="2"/>"## }
        return svg + "</svg>"
    }
}
