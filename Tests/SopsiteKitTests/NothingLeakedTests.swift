import Foundation
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// Nothing leaked (issue #10): a writer's text never becomes markup, script or a dangerous URL in a reader's browser,
/// in any context a value reaches (HTML text, attributes, JSON, the search data, calendar feeds, URLs).
@Suite struct NothingLeakedTests {
    /// Every payload in one value: attribute and element breakouts, a script end tag, JavaScript line separators,
    /// Mustache syntax, entities, and a quote-delimited event handler.
    static let payload = "A \"><script>alert(1)</script> </script><img src=x onerror=alert(2)> \u{2028}\u{2029} {{siteTitle}} {{{content}}} "
        + "{{#pages}}x{{/pages}} ' onmouseover='alert(3)' &amp; &lt;b&gt; \\u003c\r\nX-INJECTED:TRUE"

    struct Site {
        let repo: GitFixture
        let folder: TemporaryDirectory
        let report: BuildReport
        var output: String { folder.path + "/site" }
        /// Every written file, relative to the site.
        var files: [String] {
            let all = FileManager.default.enumerator(atPath: output)?.allObjects as? [String] ?? []
            return all.filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: output + "/" + path, isDirectory: &isFolder) && !isFolder.boolValue
            }.sorted()
        }
        func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: output + "/" + path) ?? Data()) }
        func text(_ path: String) -> String { String(decoding: bytes(path), as: UTF8.self) }
    }

    /// A site whose every writer-controlled value carries the payload.
    func hostileSite() async throws -> Site {
        let repo = try GitFixture()
        let yaml = Self.payload.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\u{2028}", with: "\\L").replacingOccurrences(of: "\u{2029}", with: "\\P")
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        try repo.commit("\(Self.payload)\n\nBody {{siteTitle}}", by: .init("Eve \" onmouseover=\"alert(4)\" &amp;", "eve@example.test"),
                        at: "2025-01-10T09:00:00+00:00", write: [
            "sopsite.yml": "title: \"Site \(yaml)\"\nbase_url: https://sops.example.com/\n",
            "content/owners.yml": "eve:\n  name: \"Eve \(yaml)\"\n  team: \"Team \(yaml)\"\n  email: \"eve@example.test\"\n",
            "content/ops/_process.md": "---\ntitle: \"Process \(yaml)\"\nowner: eve\nstart: \"\(yaml)\"\noutcome: \"\(yaml)\"\n---\n\(Self.payload)\n",
            "content/ops/hostile.md": """
            ---
            id: "SOP-\(yaml)"
            title: "Title \(yaml)"
            owner: eve
            scope: "Scope \(yaml)"
            tags: ["tag \(yaml)", "{{siteTitle}}"]
            description: "Description \(yaml)"
            review_interval: 1 month
            ---
            ## Heading \(Self.payload)

            Text \(Self.payload)

            `code \(Self.payload)`

            [javascript](javascript:alert(5)) [JaVaScRiPt](JaVaScRiPt:alert(6)) [vbscript](vbscript:msgbox(7))
            [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==) <javascript:alert(9)>
            [entity](&#106;avascript:alert(10)) ![image](javascript:alert(11)) [ref][r]
            [breakout](<x"onmouseover="alert(12)>) [fragment](<_process.md#"><script>alert(13)</script>>)

            <a href="javascript:alert(14)">raw link</a> <script>alert(15)</script>

            [r]: vbscript:alert(16)

            """,
            "content/ops/\"><img src=x onerror=alert(17)>.md": "Named after a tag.\n",
            "content/ops/safe.md": "---\nid: SOP-SAFE\nowner: ../../../../../tmp/sopsite-escaped\n---\n![image](data:image/png;base64,iVBORw0KGgo=)\n",
        ])
        let folder = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: "content", output: folder.path + "/site",
                                                          now: .day(Day(2025, 6, 1))))
        return Site(repo: repo, folder: folder, report: report)
    }

    /// The start tags of `html` (`<a href="…">`), comments left out.
    func tags(in html: String) -> [Substring] {
        var found: [Substring] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            if rest.hasPrefix("!--") {
                guard let end = rest.range(of: "-->") else { break }
                rest = rest[end.upperBound...]
                continue
            }
            guard let close = rest.firstIndex(of: ">") else { break }
            found.append(rest[..<close])
            rest = rest[close...]
        }
        return found
    }

    /// A start tag's element name and attributes, values unquoted (still HTML-escaped), as a browser splits them.
    func parse(_ tag: Substring) -> (element: String, attributes: [(name: String, value: String)]) {
        var rest = tag[...]
        let element = String(rest.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
        rest = rest.dropFirst(element.count)
        var attributes: [(name: String, value: String)] = []
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
            guard !rest.isEmpty else { break }
            let name = String(rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != "/" }).lowercased()
            rest = rest.dropFirst(max(1, name.count)).drop { $0.isWhitespace }
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().drop { $0.isWhitespace }
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    rest = rest.dropFirst()
                    value = String(rest.prefix { $0 != quote })
                    rest = rest.dropFirst(value.count + 1)
                } else {
                    value = String(rest.prefix { !$0.isWhitespace })
                    rest = rest.dropFirst(value.count)
                }
            }
            attributes.append((name, value))
        }
        return (element, attributes)
    }

    @Test("HTML text and attributes: no element, attribute, script or dangerous URL comes from a writer's text")
    func htmlContexts() async throws {
        let site = try await hostileSite()
        #expect(site.report.succeeded, "\(site.report.diagnostics)")
        let pages = site.files.filter { $0.hasSuffix(".html") }
        #expect(pages.count >= 8)
        for page in pages {
            let html = site.text(page)
            for tag in tags(in: html) where !tag.hasPrefix("/") && !tag.hasPrefix("!") {
                let (element, attributes) = parse(tag)
                // The only scripts are the theme's own files; no frame, object or writer-made image.
                if element == "script" {
                    #expect(attributes.map(\.name) == ["src", "defer"] && attributes[0].value.contains("assets/"), "\(page): <\(tag)>")
                }
                #expect(!["iframe", "object", "embed", "base"].contains(element), "\(page): <\(tag)>")
                #expect(!(element == "img" && attributes.contains { $0.name == "src" && $0.value == "x" }), "\(page): <\(tag)>")
                for attribute in attributes {
                    #expect(!attribute.name.hasPrefix("on"), "\(page): <\(tag)>")
                    guard ["href", "src", "action", "formaction", "xlink:href"].contains(attribute.name) else { continue }
                    let url = attribute.value.lowercased().filter { !$0.isWhitespace }
                    #expect(!url.hasPrefix("javascript:") && !url.hasPrefix("vbscript:") && !url.hasPrefix("data:text"), "\(page): <\(tag)>")
                }
            }
            #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';"), "\(page)")
            #expect(!html.contains("unsafe-inline"), "\(page)")
        }
    }

    @Test("the payload reaches the page as the same visible text, template syntax included, not as a template")
    func textSurvivesEscaped() async throws {
        let site = try await hostileSite()
        let page = try #require(site.files.first { $0 == "ops/hostile/index.html" })
        let html = site.text(page)
        #expect(html.contains("Title A &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("{{siteTitle}} {{{content}}} {{#pages}}x{{/pages}}"))
        #expect(html.contains("&amp;amp; &amp;lt;b&amp;gt;"))
        #expect(!html.contains("Site A \"><script>"))
    }

    @Test("JSON files escape <, >, &, U+2028 and U+2029 and still decode to the writer's exact text")
    func jsonContext() async throws {
        let site = try await hostileSite()
        let jsonFiles = site.files.filter { $0.hasSuffix(".json") || ($0.hasPrefix("search/") && $0.hasSuffix(".js")) }
        #expect(jsonFiles.contains("api/pages.json"))
        for file in jsonFiles {
            let bytes = site.bytes(file)
            #expect(!bytes.contains(UInt8(ascii: "<")) && !bytes.contains(UInt8(ascii: ">")) && !bytes.contains(UInt8(ascii: "&")), "\(file)")
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("\u{2028}") && !text.contains("\u{2029}"), "\(file)")
        }
        let pages = try #require(try JSONSerialization.jsonObject(with: Data(site.bytes("api/pages.json"))) as? [[String: Any]])
        let titles = pages.compactMap { $0["title"] as? String }
        #expect(titles.contains("Title " + Self.payload))
        let review = try #require(try JSONSerialization.jsonObject(with: Data(site.bytes("review.json"))) as? [String: Any])
        let rows = try #require(review["sops"] as? [[String: Any]])
        #expect(rows.contains { $0["owner_name"] as? String == "Eve " + Self.payload })
    }

    @Test("calendar feeds and file paths: a value cannot add a calendar line or a file outside the site")
    func feedsAndPaths() async throws {
        let site = try await hostileSite()
        let feeds = site.files.filter { $0.hasSuffix(".ics") }
        #expect(!feeds.isEmpty)
        for feed in feeds {
            #expect(feed.hasPrefix("reviews/") && !feed.dropFirst(8).contains("/"), "\(feed)")
            let lines = site.text(feed).components(separatedBy: "\r\n")
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == lines.filter { $0 == "END:VEVENT" }.count)
            #expect(!lines.contains { $0.hasPrefix("X-INJECTED") }, "\(feed)")
            // RFC 5545 §3.3.11 allows no bare CR or LF in TEXT: a title written "a\rb" in YAML must arrive escaped.
            let hasBareLineBreak = lines.contains { $0.contains("\r") || $0.contains("\n") }
            #expect(!hasBareLineBreak, "\(feed)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sopsite-escaped.ics"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.folder.path) == ["site"])
    }

    @Test("link payloads: javascript:, vbscript: and data: documents are emptied; a raster data image stays")
    func urlContext() async throws {
        let site = try await hostileSite()
        let page = try #require(site.files.first { $0 == "ops/hostile/index.html" })
        let html = site.text(page).lowercased()
        for scheme in ["javascript:", "vbscript:", "data:text/html"] {
            #expect(!html.contains("href=\"" + scheme) && !html.contains("src=\"" + scheme), "\(scheme)")
        }
        #expect(!html.contains("\"onmouseover=\"alert(12)") && html.contains("href=\"x%22onmouseover=%22alert(12)\""))
        #expect(site.text("ops/safe/index.html").contains("src=\"data:image/png;base64,iVBORw0KGgo=\""))
    }

    @Test("sopsite.yml's base_url must be an http or https URL")
    func baseURL() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "sopsite.yml": "title: Site\nbase_url: javascript:alert(1)//\n", "content/ops/a.md": "# A\n",
        ])
        let folder = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: "content", output: folder.path + "/site",
                                                          now: .day(Day(2025, 6, 1))))
        #expect(report.diagnostics.map { "\($0.location) \($0.code)" } == ["sopsite.yml:2 config.base-url"])
    }
}
