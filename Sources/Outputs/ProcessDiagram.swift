import SiteModel

/// The process drawn as an inline SVG at build time: start, the procedures in order, end, joined by arrows, in a
/// column that fits a phone and prints in black and white (no JavaScript library).
enum ProcessDiagram {
    static let width = 560
    static let boxHeight = 56
    static let gap = 30

    /// SVG markup; every text is escaped here, so the template inserts it unescaped.
    /// - Parameter stages: (label, link) for each procedure, in order.
    static func svg(title: String, start: String?, end: String?, stages: [(label: String, url: String)]) -> String {
        var boxes: [(text: String, url: String?, isTerminal: Bool)] = []
        if let start, !start.isEmpty { boxes.append(("Start: " + start, nil, true)) }
        boxes += stages.map { ($0.label, $0.url, false) }
        if let end, !end.isEmpty { boxes.append(("End: " + end, nil, true)) }
        guard !boxes.isEmpty else { return "" }
        let height = boxes.count * boxHeight + (boxes.count - 1) * gap + 4
        // Not role="img": its stages are links, and an image may not hold interactive content (axe: nested-interactive).
        var out = "<svg class=\"process-map\" aria-labelledby=\"process-map-title\" viewBox=\"0 0 \(width) \(height)\" "
            + "width=\"100%\" preserveAspectRatio=\"xMidYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title id=\"process-map-title\">\(escape("Process map: " + title + ", " + boxes.map(\.text).joined(separator: ", then ")))</title>"
            + "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
            + "<path d=\"M0,0 L10,5 L0,10 z\" class=\"process-map__arrowhead\"/></marker></defs>"
        for (index, box) in boxes.enumerated() {
            let y = 2 + index * (boxHeight + gap)
            let lines = wrap(box.text, width: 58, maxLines: 2)
            var shape = "<rect x=\"2\" y=\"\(y)\" width=\"\(width - 4)\" height=\"\(boxHeight)\" rx=\"\(box.isTerminal ? boxHeight / 2 : 6)\" "
                + "class=\"process-map__box\(box.isTerminal ? " process-map__box--terminal" : "")\"/>"
            let firstBaseline = y + boxHeight / 2 + (lines.count == 1 ? 5 : -4)
            for (lineIndex, line) in lines.enumerated() {
                shape += "<text x=\"\(width / 2)\" y=\"\(firstBaseline + lineIndex * 18)\" text-anchor=\"middle\" class=\"process-map__text\">\(escape(line))</text>"
            }
            if let url = box.url {
                out += "<a href=\"\(escape(url))\">\(shape)</a>"
            } else {
                out += shape
            }
            if index < boxes.count - 1 {
                out += "<line x1=\"\(width / 2)\" y1=\"\(y + boxHeight)\" x2=\"\(width / 2)\" y2=\"\(y + boxHeight + gap - 3)\" "
                    + "class=\"process-map__arrow\" marker-end=\"url(#arrow)\"/>"
            }
        }
        return out + "</svg>"
    }

    /// Words wrapped into at most `maxLines` lines of about `width` characters; the last is cut with an ellipsis.
    static func wrap(_ text: String, width: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] = String(lines[maxLines - 1].prefix(width - 1)) + "…"
        }
        return lines.map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
    }

    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}
