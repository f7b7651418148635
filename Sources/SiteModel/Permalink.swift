import SOPCore

/// Site-relative URL paths: `/customer-support/process-a-refund/`, always starting and ending with `/` for pages.
public enum Permalink {
    /// A URL-safe form of one path component: lowercase, spaces and slashes to `-` (an id derived from a path,
    /// `accounts/approve-laptop`, keeps its word break), letters of any script and digits kept
    /// (the browser percent-encodes them), other punctuation dropped except `-`, `_` and `.`.
    public static func slug(_ component: String) -> String {
        // ASCII (most file names and ids) on bytes, by the same rules: every page's URL is made from its path's slugs,
        // and the scalar properties below cost a microsecond a character.
        if component.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(component.utf8.count)
            appendASCIISlug(component.utf8, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        return scalarSlug(component)
    }

    /// Appends the slug of an ASCII component (`slug`'s rules, on bytes) to `out`.
    private static func appendASCIISlug(_ component: some Sequence<UInt8>, to out: inout [UInt8]) {
        let start = out.count
        var lastWasDash = false
        for var byte in component {
            if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
            if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2E {
                out.append(byte)
                lastWasDash = false
            } else if byte == 0x2D || byte == 0x2F || byte == 0x20 || (byte >= 0x09 && byte <= 0x0D), !lastWasDash, out.count > start {
                // Whitespace is U+0009…U+000D and space; an apostrophe is dropped.
                out.append(0x2D)
                lastWasDash = true
            }
        }
        while out.count > start, out.last == 0x2D { out.removeLast() }
        if out[start...].allSatisfy({ $0 == 0x2E }) {
            out.removeSubrange(start...)
            out.append(contentsOf: "page".utf8)
        }
    }

    /// `slug` by Unicode scalar properties: the definition, and the way for text that is not ASCII.
    static func scalarSlug(_ component: String) -> String {
        var out = ""
        var lastWasDash = false
        for scalar in component.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "." {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if (scalar == "-" || scalar == "/" || scalar.properties.isWhitespace || scalar == "'") && !lastWasDash && !out.isEmpty {
                if scalar == "'" { continue }
                out += "-"
                lastWasDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        // A slug made only of dots would climb folders in a URL or a file path ("-.." → ".."): never produce one.
        if out.allSatisfy({ $0 == "." }) { return "page" }
        return out.isEmpty ? "page" : out
    }

    /// Top-level folders of the site that hold sopsite's own pages, with what they hold: no document may be published
    /// under them (its page would overwrite one of them, or be overwritten).
    public static let siteFolders: [String: String] = [
        "reviews": "the review dashboard and calendars", "search": "the search page and index", "tags": "the tag pages",
        "owners": "the owner pages", "recent": "the list of recent changes",
    ]

    /// The page URL for a content path (`customer-support/process-a-refund` → `/customer-support/process-a-refund/`).
    public static func page(forContentPath contentPath: String) -> String {
        // ASCII paths (most) slugged component by component into one buffer, by `slug`'s rules: every document's URL
        // is made on every build.
        if contentPath.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = [0x2F]
            out.reserveCapacity(contentPath.utf8.count + 2)
            for part in contentPath.utf8.split(separator: 0x2F) {
                appendASCIISlug(part, to: &out)
                out.append(0x2F)
            }
            return String(decoding: out, as: UTF8.self)
        }
        let parts = contentPath.split(separator: "/").map { slug(String($0)) }
        return parts.isEmpty ? "/" : "/" + parts.joined(separator: "/") + "/"
    }

    /// A relative URL from the page at `from` (a folder URL ending in `/`, or a file URL such as a revision page's
    /// `/sop/x/rev/3.html`, which links from its folder) to `to` (a page or file URL), so the site works under any base
    /// path and from disk.
    public static func relative(from: String, to: String) -> String {
        // On bytes: this runs for every link and every navigation entry of every page.
        let fromBytes = Array(from.utf8), toBytes = Array(to.utf8)
        var fromParts = segments(fromBytes)
        let toParts = segments(toBytes)
        if fromBytes.last != UInt8(ascii: "/"), !fromParts.isEmpty { fromParts.removeLast() }
        let isFolder = toBytes.last == UInt8(ascii: "/")
        var common = 0
        while common < fromParts.count, common < toParts.count - (isFolder ? 0 : 1),
              fromBytes[fromParts[common]].elementsEqual(toBytes[toParts[common]]) {
            common += 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(toBytes.count + 3 * (fromParts.count - common))
        for _ in common..<fromParts.count { out.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "."), UInt8(ascii: "/")]) }
        for part in toParts[common...] {
            appendPercentEncoded(toBytes[part], to: &out)
            out.append(UInt8(ascii: "/"))
        }
        if out.isEmpty { return "./" }
        if !isFolder { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The non-empty runs between slashes.
    private static func segments(_ bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
            if index > start { result.append(start..<index) }
            start = index + 1
        }
        return result
    }

    private static func appendPercentEncoded(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
    }

    /// A site-relative permalink with each segment percent-encoded (`/proc%C3%A9dures/x/`), for JSON and feeds.
    public static func encoded(_ permalink: String) -> String {
        let parts = permalink.split(separator: "/", omittingEmptySubsequences: false).map { percentEncode(String($0)) }
        return parts.joined(separator: "/")
    }

    /// Percent-encodes everything but unreserved ASCII (RFC 3986), so non-ASCII paths are valid URLs in every context.
    public static func percentEncode(_ component: String) -> String {
        var out = ""
        for byte in component.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0xF)])"
            }
        }
        return out
    }
}
