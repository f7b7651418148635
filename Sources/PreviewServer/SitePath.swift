/// Maps a request target to a file of the site held in memory, and refuses anything that could name a file outside it.
enum SitePath {
    /// The site-relative path that `target` (the raw request target, e.g. `/customer-support/?q=refund`) asks for,
    /// percent-decoded: `""` for the root, `"customer-support/"` for a folder, `"assets/style.css"` for a file.
    ///
    /// Nil for any target that is not a plain path inside the site: not starting with one `/` (absolute-form
    /// `http://…` or `//host/…` targets), a `.` or `..` segment even when encoded (`%2e%2e`, `%2E.`), an encoded or
    /// doubled `/` that would make one, a backslash, a NUL, a bad percent escape or bytes that are not UTF-8. The site
    /// lives in memory, so nothing outside it could be read anyway; refusing these keeps the answer a plain 404.
    static func resolve(_ target: String) -> String? {
        guard target.hasPrefix("/"), !target.hasPrefix("//") else { return nil }
        let rawPath = target.prefix { $0 != "?" && $0 != "#" }
        guard let decoded = percentDecoded(rawPath) else { return nil }
        guard !decoded.contains("\0"), !decoded.contains("\\") else { return nil }
        let segments = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment == "." || segment == ".." { return nil }
            // Only the last segment may be empty: "a/" is a folder, "a//b" is not a path the site has.
            if segment.isEmpty, index != segments.count - 1 { return nil }
        }
        return String(decoded.dropFirst())
    }

    /// The raw path of a target, without its query and fragment (for redirects that keep the writer's spelling).
    static func rawPath(of target: String) -> Substring {
        target.prefix { $0 != "?" && $0 != "#" }
    }

    /// The query of a target with its `?`, or "".
    static func query(of target: String) -> Substring {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        return target[mark...].prefix { $0 != "#" }
    }

    /// `%XX` escapes decoded as UTF-8 bytes; nil for a malformed escape or invalid UTF-8. `+` stays `+` (it means a
    /// space only in form data, not in a path).
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
