import SOPCore

/// What the preview adds to HTML pages, and nothing else does: the live-reload script and, after a failed build, the
/// problem overlay. Both are served from `/__sopsite/` so that the theme's Content-Security-Policy (`script-src 'self';
/// style-src 'self'`) allows them: no inline script or style.
enum PreviewPage {
    static let prefix = "/__sopsite/"
    static let eventsPath = "/__sopsite/events"
    static let scriptPath = "/__sopsite/live-reload.js"
    static let stylesheetPath = "/__sopsite/preview.css"

    /// `html` with the preview's fragment inserted before its last `</body>` (at the end when there is none).
    static func injecting(into html: [UInt8], _ snapshot: SiteSnapshot) -> [UInt8] {
        let fragment = Array(self.fragment(snapshot).utf8)
        guard let position = lastBodyClose(in: html) else { return html + fragment }
        var result = html
        result.insert(contentsOf: fragment, at: position)
        return result
    }

    /// The page shown when no build has succeeded yet: the problems, and the script that reloads it once one does.
    static func failurePage(_ snapshot: SiteSnapshot) -> [UInt8] {
        Array(("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "<title>Build failed · sopsite preview</title>\n</head>\n<body>\n" + fragment(snapshot) + "</body>\n</html>\n").utf8)
    }

    static func fragment(_ snapshot: SiteSnapshot) -> String {
        var text = ""
        if snapshot.failed { text += "<link rel=\"stylesheet\" href=\"\(stylesheetPath)\">\n" + overlay(snapshot) }
        text += "<script src=\"\(scriptPath)\" data-build=\"\(escape(snapshot.stamp))\" defer></script>\n"
        return text
    }

    /// Every problem of the failed build, one per line as `file:line severity: message; fix [code]`, errors first.
    static func overlay(_ snapshot: SiteSnapshot) -> String {
        let errors = snapshot.problems.filter { $0.severity == .error }.count
        let warnings = snapshot.problems.count - errors
        var text = "<div id=\"sopsite-problems\" class=\"sopsite-problems\" role=\"alert\" aria-labelledby=\"sopsite-problems-title\">\n"
        text += "<div class=\"sopsite-problems-box\">\n"
        text += "<h2 id=\"sopsite-problems-title\">The build failed: \(errors) error\(errors == 1 ? "" : "s")"
            + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "</h2>\n"
        text += snapshot.hasSite
            ? "<p>The page below is from the last build that succeeded. Fix these problems and save: the page reloads by itself.</p>\n"
            : "<p>There is no site to show yet. Fix these problems and save: the page reloads by itself.</p>\n"
        text += "<ol class=\"sopsite-problem-list\">\n"
        // Errors first: they are why the build failed; warnings (often consequences, such as links to a file the
        // error left out) follow. Each group keeps the build's order, by file and line.
        for problem in snapshot.problems.filter({ $0.severity == .error }) + snapshot.problems.filter({ $0.severity != .error }) {
            let place = problem.location.path.value.isEmpty ? "" : "<code class=\"sopsite-location\">\(escape(problem.location.description))</code> "
            text += "<li class=\"sopsite-\(problem.severity.rawValue)\">\(place)<strong>\(problem.severity.rawValue)</strong>: "
                + escape(problem.message) + (problem.fix.map { "; " + escape($0) } ?? "")
                + " <span class=\"sopsite-code\">[\(escape(problem.code))]</span>"
            for note in problem.notes {
                text += "<br><code class=\"sopsite-location\">\(escape(note.location.description))</code> note: \(escape(note.message))"
            }
            text += "</li>\n"
        }
        text += "</ol>\n<button type=\"button\" data-sopsite-hide>Hide</button>\n</div>\n</div>\n"
        return text
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Index of the last `</body` (any case), where the fragment goes.
    private static func lastBodyClose(in html: [UInt8]) -> Int? {
        let needle = Array("</body".utf8)
        guard html.count >= needle.count else { return nil }
        var index = html.count - needle.count
        while index >= 0 {
            var matches = true
            for offset in 0..<needle.count where html[index + offset] | 0x20 != needle[offset] | 0x20 {
                matches = false
                break
            }
            if matches { return index }
            index -= 1
        }
        return nil
    }

    /// Reloads the page when the server announces a build other than the one the page came from. `EventSource`
    /// reconnects by itself, and the first message after connecting is the current build, so a page that was open
    /// while the server restarted reloads too.
    static let script = """
        // sopsite serve: live reload (added by the preview server only; never part of a built site).
        (function () {
          "use strict";
          var script = document.currentScript;
          var stamp = script ? script.getAttribute("data-build") : null;
          var overlay = document.getElementById("sopsite-problems");
          if (overlay) {
            overlay.addEventListener("click", function (event) {
              if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-sopsite-hide")) {
                overlay.hidden = true;
              }
            });
          }
          if (!window.EventSource) { return; }
          var source = new EventSource("/__sopsite/events");
          source.addEventListener("build", function (event) {
            var build;
            try { build = JSON.parse(event.data); } catch (error) { return; }
            if (build.stamp !== stamp) {
              source.close();
              window.location.reload();
            }
          });
        })();

        """

    static let stylesheet = """
        /* sopsite serve: the problem overlay shown after a failed build. */
        .sopsite-problems { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2rem 1rem;
          background: rgba(20, 20, 24, 0.72); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
        .sopsite-problems[hidden] { display: none; }
        .sopsite-problems-box { max-width: 60rem; margin: 0 auto; padding: 1.25rem 1.5rem; background: #fff; color: #1b1b1f;
          border-top: 6px solid #b00020; border-radius: 6px; box-shadow: 0 8px 32px rgba(0, 0, 0, 0.4); }
        .sopsite-problems h2 { margin: 0 0 0.5rem; font-size: 1.25rem; color: #b00020; }
        .sopsite-problem-list { padding-left: 1.5rem; }
        .sopsite-problem-list li { margin: 0.5rem 0; overflow-wrap: anywhere; }
        .sopsite-problem-list .sopsite-warning strong { color: #8a5a00; }
        .sopsite-problem-list .sopsite-error strong { color: #b00020; }
        .sopsite-location { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f1f4; padding: 0 0.25em; }
        .sopsite-code { color: #5c5c66; font-size: 0.9em; }
        .sopsite-problems button { font: inherit; padding: 0.3rem 1rem; cursor: pointer; }

        """
}
