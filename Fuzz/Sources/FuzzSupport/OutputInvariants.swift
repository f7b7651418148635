import Foundation
import Outputs

/// Facts that hold for every file of a site built with raw HTML off, whatever the writer committed (README, "Nothing
/// leaked"): a violation is a bug the fuzzer reports as a crash.
public enum OutputInvariants {
    /// The first violation in `files`, as "path: what", or nil.
    public static func violation(in files: [OutputFile]) -> String? {
        var paths: Set<String> = []
        for file in files {
            // A path inside the output folder, written once: relative, no empty, `.` or `..` segment.
            let segments = file.path.split(separator: "/", omittingEmptySubsequences: false)
            if file.path.hasPrefix("/") || file.path.contains("\\") || segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                return "\(file.path): not a path inside the output folder"
            }
            if !paths.insert(file.path).inserted { return "\(file.path): written twice" }
            let problem: String?
            if file.path.hasSuffix(".html") {
                problem = htmlViolation(file.bytes)
            } else if file.path.hasSuffix(".json") {
                problem = jsonViolation(file.bytes[...])
            } else if file.path.hasPrefix("search/"), file.path.hasSuffix(".js") {
                problem = searchDataViolation(file.bytes)
            } else {
                problem = nil
            }
            if let problem { return "\(file.path): \(problem)" }
        }
        return nil
    }

    /// Scripts the built-in theme loads (`<script src="{{root}}assets/NAME" defer></script>`); no other script element
    /// may appear, and no event-handler attribute, dangerous URL or tag that runs or embeds content.
    static let themeScripts: Set<String> = ["review-badge.js", "search.js", "dashboard.js", "print.js"]
    static let forbiddenTags: Set<String> = ["iframe", "object", "embed", "frame", "frameset", "base", "applet", "style", "template",
                                             "xmp", "noscript", "plaintext", "math", "textarea", "portal"]
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "background"]

    /// Walks the tags of an HTML page (text and comments are skipped) and checks each.
    public static func htmlViolation(_ bytes: [UInt8]) -> String? {
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var index = 0
        let count = lower.count
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        func isLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
        while index < count {
            guard lower[index] == UInt8(ascii: "<"), index + 1 < count else { index += 1; continue }
            if lower[index + 1] == UInt8(ascii: "!") {
                // A comment or the doctype: skip to its end (a comment's text is inert).
                if lower[(index + 2)...].starts(with: Array("--".utf8)) {
                    guard let end = find(Array("-->".utf8), in: lower, from: index + 4) else { return "comment never closed" }
                    index = end + 3
                } else {
                    index = (lower[index...].firstIndex(of: UInt8(ascii: ">")) ?? count) + 1
                }
                continue
            }
            let isClosing = lower[index + 1] == UInt8(ascii: "/")
            let nameStart = index + (isClosing ? 2 : 1)
            guard nameStart < count, isLetter(lower[nameStart]) else { index += 1; continue }
            var cursor = nameStart
            while cursor < count, !isSpace(lower[cursor]), lower[cursor] != UInt8(ascii: ">"), lower[cursor] != UInt8(ascii: "/") { cursor += 1 }
            let name = String(decoding: lower[nameStart..<cursor], as: UTF8.self)
            if forbiddenTags.contains(name) { return "a <\(name)> element" }
            var attributes: [(name: String, value: String)] = []
            // Attributes, as an HTML parser reads them.
            while cursor < count, lower[cursor] != UInt8(ascii: ">") {
                if isSpace(lower[cursor]) || lower[cursor] == UInt8(ascii: "/") { cursor += 1; continue }
                let attributeStart = cursor
                cursor += 1
                while cursor < count, !isSpace(lower[cursor]), ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(lower[cursor]) {
                    cursor += 1
                }
                let attributeName = String(decoding: lower[attributeStart..<cursor], as: UTF8.self)
                while cursor < count, isSpace(lower[cursor]) { cursor += 1 }
                var value = ""
                if cursor < count, lower[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    while cursor < count, isSpace(lower[cursor]) { cursor += 1 }
                    if cursor < count, lower[cursor] == UInt8(ascii: "\"") || lower[cursor] == UInt8(ascii: "'") {
                        let quote = lower[cursor]
                        let valueStart = cursor + 1
                        guard let end = lower[valueStart...].firstIndex(of: quote) else { return "attribute \(attributeName) never closed" }
                        value = String(decoding: bytes[valueStart..<end], as: UTF8.self)
                        cursor = end + 1
                    } else {
                        let valueStart = cursor
                        while cursor < count, !isSpace(lower[cursor]), lower[cursor] != UInt8(ascii: ">") { cursor += 1 }
                        value = String(decoding: bytes[valueStart..<cursor], as: UTF8.self)
                    }
                }
                attributes.append((attributeName, value))
            }
            if !isClosing {
                if let problem = tagViolation(name, attributes) { return problem }
            }
            if name == "script", !isClosing {
                // Its text is not HTML: skip to the end tag (the theme's scripts are empty).
                guard let end = find(Array("</script".utf8), in: lower, from: cursor) else { return "script never closed" }
                if end != cursor + 1 { return "a <script> element with inline text" }
                index = end
                continue
            }
            index = cursor + 1
        }
        return nil
    }

    static func tagViolation(_ name: String, _ attributes: [(name: String, value: String)]) -> String? {
        for attribute in attributes {
            if attribute.name.hasPrefix("on") { return "<\(name)> has an event-handler attribute \(attribute.name)" }
            if attribute.name == "style" { return "<\(name)> has a style attribute" }
            if urlAttributes.contains(attribute.name), let scheme = dangerousScheme(decodeEntities(attribute.value)) {
                return "<\(name) \(attribute.name)=\"\(attribute.value)\"> is a \(scheme) URL"
            }
        }
        if name == "script" {
            guard attributes.map(\.name) == ["src", "defer"], let source = attributes.first?.value,
                  let file = source.split(separator: "/").last, source.hasSuffix("assets/" + file), themeScripts.contains(String(file)) else {
                return "a <script> the theme does not load: \(attributes)"
            }
        }
        if name == "meta", let equiv = attributes.first(where: { $0.name == "http-equiv" }), equiv.value.lowercased() != "content-security-policy" {
            return "<meta http-equiv=\"\(equiv.value)\">"
        }
        return nil
    }

    /// The scheme of a URL that runs script or reads local files, as a browser reads it (ASCII white space and control
    /// characters around and inside the scheme are ignored). Raster data: images are allowed, as cmark-gfm allows them.
    static func dangerousScheme(_ url: String) -> String? {
        let cleaned = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })).lowercased()
        for scheme in ["javascript:", "vbscript:", "file:"] where cleaned.hasPrefix(scheme) { return scheme }
        if cleaned.hasPrefix("data:") {
            let allowed = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            if !allowed.contains(where: { cleaned.hasPrefix($0) }) { return "data:" }
        }
        return nil
    }

    /// Decodes the character references a browser would decode in an attribute value (named ones sopsite's escaping
    /// and cmark emit, and numeric ones).
    static func decodeEntities(_ value: String) -> String {
        guard value.contains("&") else { return value }
        var out = ""
        var rest = Substring(value)
        while let ampersand = rest.firstIndex(of: "&") {
            out += rest[..<ampersand]
            rest = rest[ampersand...]
            let reference = rest.dropFirst().prefix { $0 != ";" && $0 != "&" }
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t", "newline": "\n"]
            var decoded: String?
            if let text = named[String(reference).lowercased()] {
                decoded = text
            } else if reference.hasPrefix("#") {
                let digits = reference.dropFirst()
                let number = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                decoded = number.flatMap(Unicode.Scalar.init).map { String($0) }
            }
            if let decoded {
                out += decoded
                rest = rest.dropFirst(reference.count + 1)
                if rest.first == ";" { rest = rest.dropFirst() }
            } else {
                out += "&"
                rest = rest.dropFirst()
            }
        }
        return out + rest
    }

    static func jsonViolation(_ bytes: ArraySlice<UInt8>) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            return nil
        } catch {
            return "not valid JSON: \(error)"
        }
    }

    /// `sopsiteSearchData("NAME",JSON);` and nothing else: the JSON part must parse, so no text can end the call.
    static func searchDataViolation(_ bytes: [UInt8]) -> String? {
        let prefix = Array("sopsiteSearchData(\"".utf8)
        let suffix = Array(");\n".utf8)
        guard bytes.starts(with: prefix), bytes.count > prefix.count + suffix.count, Array(bytes.suffix(suffix.count)) == suffix,
              let comma = bytes[prefix.count...].firstIndex(of: UInt8(ascii: ",")) else { return "not a sopsiteSearchData call" }
        let name = bytes[prefix.count..<comma]
        guard name.last == UInt8(ascii: "\""), !name.dropLast().contains(UInt8(ascii: "\"")) else { return "search data name is not a plain string" }
        return jsonViolation(bytes[(comma + 1)..<(bytes.count - suffix.count)])
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
