import SOPCore

/// Site-relative URL paths: `/customer-support/process-a-refund/`, always starting and ending with `/` for pages.
public enum Permalink {
    /// A URL-safe form of one path component: lowercase, spaces to `-`, letters of any script and digits kept
    /// (the browser percent-encodes them), other punctuation dropped except `-`, `_` and `.`.
    public static func slug(_ component: String) -> String {
        var out = ""
        var lastWasDash = false
        for scalar in component.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "." {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if (scalar == "-" || scalar.properties.isWhitespace || scalar == "'" ) && !lastWasDash && !out.isEmpty {
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
        let parts = contentPath.split(separator: "/").map { slug(String($0)) }
        return parts.isEmpty ? "/" : "/" + parts.joined(separator: "/") + "/"
    }

    /// A relative URL from the page at `from` (a folder URL ending in `/`) to `to` (a page or file URL), so the site
    /// works under any base path and from disk.
    public static func relative(from: String, to: String) -> String {
        let fromParts = from.split(separator: "/").map(String.init)
        var toParts = to.split(separator: "/").map(String.init)
        let isFolder = to.hasSuffix("/")
        var common = 0
        while common < fromParts.count, common < toParts.count - (isFolder ? 0 : 1), fromParts[common] == toParts[common] {
            common += 1
        }
        toParts.removeFirst(common)
        let ups = Array(repeating: "..", count: fromParts.count - common)
        let path = (ups + toParts.map(percentEncode)).joined(separator: "/")
        if path.isEmpty { return "./" }
        return isFolder ? path + "/" : path
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
