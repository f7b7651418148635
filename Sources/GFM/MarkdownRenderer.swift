import CCmarkGFM
import Foundation
import SOPCore

/// A heading of a rendered document, with the anchor its `<hN>` tag carries.
public struct MarkdownHeading: Hashable, Sendable {
    public let level: Int
    public let text: String
    /// Stable anchor: GitHub's rule (lowercase, spaces to `-`, punctuation dropped, `-1`, `-2` for repeats).
    public let anchor: String
    /// 1-based file line.
    public let line: Int
}

/// A link or image destination as written, with its file line; given to the resolver to rewrite.
public struct MarkdownLink: Hashable, Sendable {
    public let destination: String
    public let isImage: Bool
    /// 1-based file line.
    public let line: Int
    /// For images: the alt text (empty when missing).
    public let text: String
}

/// What rendering one Markdown body produced.
public struct RenderedMarkdown: Sendable {
    /// HTML from cmark-gfm, headings with `id` attributes. Safe to insert unescaped: raw HTML is omitted and dangerous
    /// URLs (`javascript:`, `vbscript:`, `file:`, non-image `data:`) are emptied unless `allowRawHTML` was set.
    public let html: String
    /// The text of the level-one heading removed from the top of the body (see `dropLeadingTitle`), if any.
    public let title: String?
    public let headings: [MarkdownHeading]
    public let links: [MarkdownLink]
    /// The words of the body without markup, blocks separated by newlines: for search and excerpts.
    public let plainText: String
}

/// Renders GitHub-flavoured Markdown with cmark-gfm (the renderer GitHub uses): tables, strikethrough, autolinks,
/// tag filter and task lists. One parser per call, so renders may run concurrently.
public struct MarkdownRenderer: Sendable {
    /// Pass raw HTML through. Off by default: the only place sopsite decides on `CMARK_OPT_UNSAFE`.
    public let allowRawHTML: Bool

    public init(allowRawHTML: Bool = false) {
        self.allowRawHTML = allowRawHTML
        Self.registerExtensions
    }

    // Registration mutates a global list in cmark-gfm: do it once, before any concurrent parse.
    private static let registerExtensions: Void = { cmark_gfm_core_extensions_ensure_registered() }()

    private static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// What `resolveLink` returns for a link that leads nowhere the site publishes and must not be written as a link
    /// (an earlier revision's link to a file deleted since); no URL can be this text.
    public static let unlinked = "\u{0}unlinked"

    /// Renders `markdown`.
    /// - Parameters:
    ///   - firstLine: the file line the body starts on (after front matter), so reported lines are file lines.
    ///   - dropLeadingTitle: remove a level-one heading that is the first block and report its text as `title`
    ///     (the page template shows the title itself, as MkDocs Material does).
    ///   - withPlainText: false to leave `plainText` empty (a page that is not indexed: an earlier revision).
    ///   - resolveLink: returns the URL to use for a link or image, nil to keep it as written, or `unlinked` to show
    ///     a link's text without the link (an image's description as text).
    public func render(_ markdown: String, firstLine: Int = 1, dropLeadingTitle: Bool = false, withPlainText: Bool = true,
                       resolveLink: (MarkdownLink) -> String? = { _ in nil }) -> RenderedMarkdown {
        // Not CMARK_OPT_GITHUB_PRE_LANG: its `<pre lang="bash">` misuses the language-of-text attribute (axe: valid-lang);
        // the default `<code class="language-bash">` is the HTML convention.
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | (allowRawHTML ? CMARK_OPT_UNSAFE : 0)
        guard let parser = cmark_parser_new(options) else { fatalError("cmark_parser_new: out of memory") }
        defer { cmark_parser_free(parser) }
        for name in Self.extensionNames {
            if let syntax = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, syntax) }
        }
        markdown.utf8CString.withUnsafeBufferPointer { buffer in
            cmark_parser_feed(parser, buffer.baseAddress, buffer.count - 1)
        }
        guard let document = Self.finish(parser) else { fatalError("cmark_parser_finish: out of memory") }
        defer { cmark_node_free(document) }
        let lineOffset = firstLine - 1

        var title: String?
        if dropLeadingTitle, let first = cmark_node_first_child(document),
           cmark_node_get_type(first) == CMARK_NODE_HEADING, cmark_node_get_heading_level(first) == 1 {
            title = Self.trimmed(Self.plainText(of: first))
            cmark_node_unlink(first)
            cmark_node_free(first)
        }

        var headings: [MarkdownHeading] = []
        var links: [MarkdownLink] = []
        var anchors = AnchorSet()
        // The body line being walked: the start of the last node that has a position, plus the line breaks since.
        // cmark-gfm's autolink extension makes the links of bare `https://` and e-mail addresses after parsing, with
        // no position (line 0): they are on this line (found by fuzzing: such links were reported on line 0).
        var currentLine = 1
        var unlinked: [OpaquePointer] = []
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            let startLine = Int(cmark_node_get_start_line(node))
            if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                currentLine = (startLine > 0 ? startLine : currentLine) + 1
            } else if startLine > 0 {
                currentLine = startLine
            }
            let line = (startLine > 0 ? startLine : currentLine) + lineOffset
            if type == CMARK_NODE_HEADING {
                let text = Self.trimmed(Self.plainText(of: node))
                headings.append(MarkdownHeading(level: Int(cmark_node_get_heading_level(node)), text: text,
                                                anchor: anchors.claim(text), line: line))
            } else if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                let link = MarkdownLink(destination: destination, isImage: type == CMARK_NODE_IMAGE, line: line,
                                        text: type == CMARK_NODE_IMAGE ? Self.plainText(of: node) : "")
                links.append(link)
                if let replacement = resolveLink(link) {
                    if replacement == Self.unlinked { unlinked.append(node) } else { cmark_node_set_url(node, replacement) }
                }
            }
        }
        // After the walk (the iterator must not see the tree change): each link's contents take its place; an image
        // becomes its description.
        for node in unlinked {
            if cmark_node_get_type(node) == CMARK_NODE_IMAGE {
                if let text = cmark_node_new(CMARK_NODE_TEXT) {
                    cmark_node_set_literal(text, Self.plainText(of: node))
                    cmark_node_insert_before(node, text)
                }
            } else {
                while let child = cmark_node_first_child(node) { cmark_node_insert_before(node, child) }
            }
            cmark_node_free(node)
        }

        let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser))
        let html = rendered.map { String(cString: $0) } ?? ""
        free(rendered)
        return RenderedMarkdown(html: Self.addAnchors(html, headings: headings), title: title, headings: headings,
                                links: links, plainText: withPlainText ? Self.trimmed(Self.plainText(of: document)) : "")
    }

    /// The headings of `markdown` without rendering it (for titles: the first level-one heading, as MkDocs does).
    public func headings(of markdown: String, firstLine: Int = 1) -> [MarkdownHeading] {
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return [] }
        defer { cmark_parser_free(parser) }
        for name in Self.extensionNames {
            if let syntax = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, syntax) }
        }
        markdown.utf8CString.withUnsafeBufferPointer { cmark_parser_feed(parser, $0.baseAddress, $0.count - 1) }
        guard let document = Self.finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        var headings: [MarkdownHeading] = []
        var anchors = AnchorSet()
        var child = cmark_node_first_child(document)
        while let node = child {
            if cmark_node_get_type(node) == CMARK_NODE_HEADING {
                let text = Self.trimmed(Self.plainText(of: node))
                headings.append(MarkdownHeading(level: Int(cmark_node_get_heading_level(node)), text: text, anchor: anchors.claim(text),
                                                line: Int(cmark_node_get_start_line(node)) + firstLine - 1))
            }
            child = cmark_node_next(node)
        }
        return headings
    }

    /// Gives the n-th `<hN>` tag the n-th heading's id. cmark emits heading tags without attributes, and with raw HTML
    /// omitted no other `<hN>` can appear; with raw HTML allowed, a writer's own heading tags may shift ids (documented).
    static func addAnchors(_ html: String, headings: [MarkdownHeading]) -> String {
        guard !headings.isEmpty else { return html }
        // One pass over the bytes, jumping between `<` with memchr: searching the rest of the text once per heading
        // (Foundation's `range(of:)` copies it each time) made a 20 MB file with 2,000 headings take a minute.
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + headings.count * 24)
        var headingIndex = 0
        var copied = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = 0
            while headingIndex < headings.count, index + 3 < buffer.count,
                  let found = memchr(base + index, Int32(UInt8(ascii: "<")), buffer.count - index) {
                index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let level = headings[headingIndex].level
                guard index + 3 < buffer.count, buffer[index + 1] == UInt8(ascii: "h"),
                      buffer[index + 2] == UInt8(ascii: "0") + UInt8(clamping: level), buffer[index + 3] == UInt8(ascii: ">") else {
                    index += 1
                    continue
                }
                out += buffer[copied..<index]
                out += Array("<h\(level) id=\"\(headings[headingIndex].anchor)\">".utf8)
                index += 4
                copied = index
                headingIndex += 1
            }
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` without white space (Unicode's White_Space, the same set as Foundation's `.whitespacesAndNewlines`) at
    /// either end. Foundation's `trimmingCharacters` converts the whole text to UTF-16 and back: seconds for 20 MB.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }

    /// `cmark_parser_finish`, one thread at a time. cmark-gfm turns the extensions' special characters (`~`, `w`, `:`,
    /// `@`, …) on in a process-wide table before parsing inlines and off after (`finalize_document` in blocks.c), so a
    /// parse finishing on one thread switched autolinks and strikethrough off for another mid-parse: pages came out
    /// different from run to run (found by a fuzz regression test failing one time in several). Feeding blocks and
    /// rendering HTML stay parallel.
    static func finish(_ parser: OpaquePointer) -> OpaquePointer? {
        inlineLock.withLock { cmark_parser_finish(parser) }
    }

    private static let inlineLock = NSLock()

    /// The text content of a node: text, code and code blocks; blocks separated by newlines.
    /// Walks with cmark's iterator, not recursion: a line of 100,000 `>` nests that many block quotes.
    static func plainText(of node: OpaquePointer) -> String {
        // Bytes, not String appends: a 20 MB body has a million text nodes.
        var out: [UInt8] = []
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        func endBlock(_ type: cmark_node_type) {
            if type.rawValue & UInt32(CMARK_NODE_TYPE_MASK) == UInt32(CMARK_NODE_TYPE_BLOCK), out.last != 0x0A { out.append(0x0A) }
        }
        while true {
            let event = cmark_iter_next(iterator)
            guard event != CMARK_EVENT_DONE, let current = cmark_iter_get_node(iterator) else { break }
            let type = cmark_node_get_type(current)
            if event == CMARK_EVENT_EXIT {
                endBlock(type)
                continue
            }
            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                if let literal = cmark_node_get_literal(current) {
                    out.append(contentsOf: UnsafeRawBufferPointer(start: literal, count: strlen(literal)))
                }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                out.append(0x20)
            default:
                break
            }
            // Leaves have no exit event.
            if !Self.isContainer(type) { endBlock(type) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Node types that get an exit event from cmark's iterator (every type but the leaves).
    private static func isContainer(_ type: cmark_node_type) -> Bool {
        switch type {
        case CMARK_NODE_TEXT, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE,
             CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK:
            return false
        default:
            return true
        }
    }
}

/// GitHub's heading-anchor rule, with `-1`, `-2` suffixes for repeats within a page.
struct AnchorSet {
    private var used: [String: Int] = [:]

    mutating func claim(_ text: String) -> String {
        let base = Self.slug(text)
        let key = base.isEmpty ? "section" : base
        if let count = used[key] {
            used[key] = count + 1
            return "\(key)-\(count)"
        }
        used[key] = 1
        return key
    }

    /// Lowercase; letters, digits, `-` and `_` kept (any script); spaces become `-`; everything else dropped.
    static func slug(_ text: String) -> String {
        // ASCII (most headings) on bytes: its letters and digits are the alphabetic and numeric scalars there.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                switch byte {
                case 0x20: out.append(0x2D)
                case 0x41...0x5A: out.append(byte | 0x20)
                case 0x2D, 0x5F, 0x30...0x39, 0x61...0x7A: out.append(byte)
                default: break
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return scalarSlug(text)
    }

    /// `slug` scalar by scalar: the definition, and the way for text that is not all ASCII.
    static func scalarSlug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar == " " { out += "-" } else if scalar == "-" || scalar == "_" || scalar.properties.isAlphabetic
                || scalar.properties.numericType != nil { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
