import Mustache
@testable import Outputs
import Testing

/// `BuiltInTemplates` renders the built-in layout and revision templates in Swift; it must give Mustache's bytes for
/// every kind of value, and be in use for the built-in theme (an edited template turns it off silently otherwise).
@Suite struct BuiltInTemplatesTests {
    func mustache(_ template: String, _ view: Any) throws -> String {
        let library = try Theme.builtIn.library()
        return try #require(library.render(view, withTemplate: template))
    }

    @Test("the built-in theme's layout and revision templates are the ones rendered in Swift (update the twin and its fingerprint)")
    func fingerprintsCurrent() {
        let builtIn = BuiltInTemplates(theme: .builtIn)
        #expect(builtIn.layout && builtIn.revision)
        let overridden = Theme.builtIn.overlaid(with: Theme(templates: ["layouts/layout": "{{{content}}}"], assets: [:]))
        #expect(!BuiltInTemplates(theme: overridden).layout && BuiltInTemplates(theme: overridden).revision)
    }

    static var sidebar: [NavigationItem] { [
        NavigationItem(title: "Other & more", url: "../other/", isCurrent: false, pages: []),
        NavigationItem(title: "Customer <support>", url: "../cs/", isCurrent: true, pages: [
            NavigationItem(title: "Refund \"fast\"", url: "../cs/refund/", isCurrent: false, pages: [
                NavigationItem(title: "Step's detail", url: "../cs/detail/", isCurrent: true, pages: []),
                NavigationItem(title: "", url: "", isCurrent: false, pages: []),
            ]),
            NavigationItem(title: "", url: "", isCurrent: false, pages: [NavigationItem(title: "", url: "", isCurrent: false, pages: [])]),
            NavigationItem(title: "Plain", url: "../cs/plain/", isCurrent: false, pages: []),
        ]),
        NavigationItem(title: "", url: "", isCurrent: true, pages: []),
    ] }

    static var layouts: [LayoutView] { [
        LayoutView(siteTitle: "Handbook & co", pageTitle: "Refund <now>", root: "../../", content: "<p>Body</p>", navigation: sidebar,
                   description: "Scope \"x\"", isHome: false, scripts: ["print.js", "a&b.js"], notice: "Shallow <clone>"),
        LayoutView(siteTitle: "", pageTitle: "", root: "./", content: "", navigation: [], description: "", isHome: true, scripts: []),
        LayoutView(siteTitle: "Home", pageTitle: "Ignored", root: "./", content: "x\n", navigation: [sidebar[0]], description: "",
                   isHome: true, scripts: ["dashboard.js"]),
    ] }

    @Test("the layout in Swift is Mustache's, byte for byte", arguments: 0..<3)
    func layout(index: Int) throws {
        let view = Self.layouts[index]
        let swift = BuiltInTemplates.layout(view, navigationHTML: BuiltInTemplates.navigation(view.navigation))
        #expect(swift == (try mustache("layouts/layout", view)))
    }

    @Test("the revision page in Swift is Mustache's, byte for byte", arguments: [true, false])
    func revision(isCurrent: Bool) throws {
        let diff = RevisionDiff(TextDiff(old: "a\nb <c>\nd", new: "a\nb <e>\nd\nf"))
        for hasDiff in [true, false] {
            let view = RevisionView(id: "SOP-1", title: "Refund & return", revision: "Rev 2", day: "1 May 2025", dayISO: "2025-05-01",
                                    author: "Dana \"D\"", subject: "Fix <typo>", shortID: "abc1234", isCurrent: isCurrent,
                                    currentRevision: "Rev 3", currentURL: "../../", html: "<p>x</p>", diffLines: hasDiff ? diff : nil,
                                    diffHTML: hasDiff ? diff.html : "", hasDiff: hasDiff, previousRevision: hasDiff ? "Rev 1" : "",
                                    added: diff.added, removed: diff.removed)
            #expect(BuiltInTemplates.revision(view) == (try mustache("layouts/revision", view)))
            let empty = RevisionView(id: "", title: "", revision: "", day: "", dayISO: "", author: "", subject: "", shortID: "",
                                     isCurrent: isCurrent, currentRevision: "", currentURL: "", html: "", diffLines: nil, diffHTML: "",
                                     hasDiff: hasDiff, previousRevision: "", added: 0, removed: 0)
            #expect(BuiltInTemplates.revision(empty) == (try mustache("layouts/revision", empty)))
        }
    }
}
