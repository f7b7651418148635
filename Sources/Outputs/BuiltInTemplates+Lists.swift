extension BuiltInTemplates {
    // The site's own pages that list every SOP in a table (home, search, dashboard, tag and owner pages): at 2,000 SOPs
    // each holds 2,000 rows, and through Mustache they were a tenth of a build without revision pages. Where Mustache
    // would look a name up in an outer context because the inner value is empty, these do the same.

    private static func e(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// `partials/badge.mustache`.
    private static func badge(_ badge: BadgeView, into out: inout String) {
        out += "<span class=\"badge badge--" + e(badge.state) + "\" data-review-state=\"" + e(badge.state) + "\" data-review-due=\""
            + e(badge.due) + "\" title=\"" + e(badge.dueText) + "\">" + e(badge.label) + "</span>\n"
    }

    /// `partials/page-table.mustache`, each line after `indent` (a standalone partial tag indents the partial; swift-mustache
    /// leaves out the indent of a row's first line after the first row, and so does this).
    /// - Parameters:
    ///   - title, url: what an empty row title or URL shows (the enclosing context's value).
    private static func pageTable(_ pages: [PageRow], indent: String, title: String, url: String, into out: inout String) {
        out += indent + "<table class=\"sop-table\">\n" + indent
            + "  <thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Procedure</th><th scope=\"col\">Owner</th>"
            + "<th scope=\"col\">Last change</th><th scope=\"col\">Review</th></tr></thead>\n" + indent + "  <tbody>\n"
        for (index, row) in pages.enumerated() {
            out += (index == 0 ? indent : "") + "    <tr>\n" + indent + "      <td class=\"sop-table__id\">" + e(row.id) + "</td>\n" + indent
                + "      <td><a href=\"" + e(row.url.isEmpty ? url : row.url) + "\">" + e(row.title.isEmpty ? title : row.title) + "</a>"
            if !row.kind.isEmpty { out += " <span class=\"kind\">" + e(row.kind) + "</span>" }
            out += "</td>\n" + indent + "      <td>" + e(row.owner) + "</td>\n" + indent + "      <td>" + e(row.lastChange) + "</td>\n"
                + indent + "      <td>"
            badge(row.badge, into: &out)
            out += indent + "</td>\n" + indent + "    </tr>\n"
        }
        out += indent + "  </tbody>\n" + indent + "</table>\n"
    }

    /// `layouts/list.mustache` (tag, owner and recent pages, and the tag and owner indexes).
    static func list(_ view: ListPageView) -> String {
        var out = ""
        out.reserveCapacity(600 + view.pages.count * 700)
        out += "<p class=\"eyebrow\">" + e(view.eyebrow) + "</p>\n<h1>" + e(view.title) + "</h1>\n"
        if !view.lead.isEmpty { out += "<p class=\"lead\">" + e(view.lead) + "</p>" }
        out += "\n"
        if !view.links.isEmpty {
            out += "<ul class=\"link-list\">"
            for link in view.links { out += "<li><a href=\"" + e(link.url) + "\">" + e(link.text) + "</a></li>" }
            out += "</ul>"
        }
        out += "\n"
        if !view.pages.isEmpty { pageTable(view.pages, indent: "", title: view.title, url: "", into: &out) }
        out += "\n"
        return out
    }

    /// `layouts/home.mustache`.
    static func home(_ view: HomeView) -> String {
        var out = ""
        out.reserveCapacity(1_000 + view.processes.reduce(view.unassigned.count) { $0 + $1.pages.count } * 700)
        out += "<h1>" + e(view.siteTitle) + "</h1>\n<p class=\"lead\">" + e(view.summary) + ". Review status as of " + e(view.asOf)
            + ":\n  <strong>" + String(view.overdue) + "</strong> overdue, <strong>" + String(view.dueSoon) + "</strong> due soon.</p>\n"
        for card in view.processes {
            out += "<section class=\"process-card\">\n  <h2><a href=\"" + e(card.url) + "\">" + e(card.title) + "</a> <span class=\"count\">"
                + e(card.count) + "</span></h2>\n  "
            if !card.outcome.isEmpty { out += "<p class=\"process-card__outcome\">" + e(card.outcome) + "</p>" }
            out += "\n"
            pageTable(card.pages, indent: "  ", title: card.title, url: card.url, into: &out)
            out += "</section>\n"
        }
        if view.hasUnassigned {
            out += "<section class=\"process-card\">\n  <h2>Other procedures</h2>\n  <table class=\"sop-table\">\n"
                + "    <thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Procedure</th><th scope=\"col\">Owner</th>"
                + "<th scope=\"col\">Last change</th><th scope=\"col\">Review</th></tr></thead>\n    <tbody>\n"
            for row in view.unassigned {
                out += "      <tr><td class=\"sop-table__id\">" + e(row.id) + "</td><td><a href=\"" + e(row.url) + "\">" + e(row.title)
                    + "</a></td><td>" + e(row.owner) + "</td><td>" + e(row.lastChange) + "</td><td>"
                badge(row.badge, into: &out)
                out += "</td></tr>\n"
            }
            out += "    </tbody>\n  </table>\n</section>\n"
        }
        return out
    }

    /// `layouts/search.mustache`: every SOP, so the page answers without JavaScript.
    static func search(_ view: SearchPageListing) -> String {
        var out = ""
        out.reserveCapacity(800 + view.pages.count * 700)
        out += "<h1>Search</h1>\n<p class=\"lead\">Type in the search box above to find a procedure as you type; filter by process, owner or review state.\n"
            + "Every SOP is listed below (" + e(view.summary) + "), so this page also works without JavaScript.</p>\n"
            + "<table class=\"sop-table search-listing\">\n  <thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Procedure</th>"
            + "<th scope=\"col\">Process</th><th scope=\"col\">Owner</th><th scope=\"col\">Review</th></tr></thead>\n  <tbody>\n"
        for row in view.pages {
            out += "    <tr>\n      <td class=\"sop-table__id\">" + e(row.id) + "</td>\n      <td><a href=\"" + e(row.url) + "\">" + e(row.title) + "</a>"
            if !row.kind.isEmpty { out += " <span class=\"kind\">" + e(row.kind) + "</span>" }
            out += "</td>\n      <td>" + e(row.process) + "</td>\n      <td>" + e(row.owner) + "</td>\n      <td>"
            badge(row.badge, into: &out)
            out += "</td>\n    </tr>\n"
        }
        out += "  </tbody>\n</table>\n"
        return out
    }

    /// `layouts/dashboard.mustache`: the review dashboard, SOPs grouped by owner.
    static func dashboard(_ view: DashboardView) -> String {
        var out = ""
        out.reserveCapacity(2_000 + view.groups.reduce(0) { $0 + $1.rows.count } * 1_000)
        out += "<h1>Review dashboard</h1>\n<p class=\"lead\">Review status of every SOP in force, as of " + e(view.asOf) + ".</p>\n"
            + "<ul class=\"dashboard__counts\" aria-label=\"Counts\">\n"
            + "  <li class=\"count-card count-card--overdue\"><strong>" + String(view.overdue) + "</strong> overdue</li>\n"
            + "  <li class=\"count-card count-card--due-soon\"><strong>" + String(view.dueSoon) + "</strong> due soon</li>\n"
            + "  <li class=\"count-card count-card--never-reviewed\"><strong>" + String(view.neverReviewed) + "</strong> never reviewed</li>\n"
            + "  <li class=\"count-card count-card--no-owner\"><strong>" + String(view.noOwner) + "</strong> without an owner</li>\n"
            + "  <li class=\"count-card count-card--current\"><strong>" + String(view.current) + "</strong> current</li>\n</ul>\n"
            + "<form class=\"dashboard__filters\" id=\"dashboard-filters\" hidden>\n"
            + "  <label>Process <select id=\"filter-process\"><option value=\"\">All processes</option>"
        for option in view.processes { out += "<option value=\"" + e(option.value) + "\">" + e(option.label) + "</option>" }
        out += "</select></label>\n  <label>Owner <select id=\"filter-owner\"><option value=\"\">All owners</option>"
        for option in view.owners { out += "<option value=\"" + e(option.value) + "\">" + e(option.label) + "</option>" }
        out += "</select></label>\n</form>\n<p class=\"muted\">Machine-readable: <a href=\"../review.json\">review.json</a> · "
            + "<a href=\"../register.csv\">register.csv</a> (document register) · a calendar feed per owner below.</p>\n"
        for group in view.groups {
            out += "<section class=\"dashboard__group\" data-owner=\"" + e(group.ownerKey) + "\">\n  <h2>" + e(group.owner)
            if !group.team.isEmpty { out += " <span class=\"count\">" + e(group.team) + "</span>" }
            out += "</h2>\n  <p class=\"muted\">" + e(group.summary)
            if !group.feedURL.isEmpty {
                out += " · <a href=\"" + e(group.feedURL) + "\">Calendar feed of due dates</a> (subscribe in your calendar app)"
            }
            out += "</p>\n  <table class=\"sop-table\">\n    <thead><tr><th scope=\"col\">SOP</th><th scope=\"col\">Review</th>"
                + "<th scope=\"col\">Last review</th><th scope=\"col\">Next due</th></tr></thead>\n    <tbody>\n"
            for row in group.rows {
                out += "      <tr data-process=\"" + e(row.processKey) + "\" data-owner=\"" + e(row.ownerKey.isEmpty ? group.ownerKey : row.ownerKey)
                    + "\">\n        <td><span class=\"sop-table__id\">" + e(row.id) + "</span><br><a href=\"" + e(row.url) + "\">" + e(row.title) + "</a>"
                if !row.process.isEmpty { out += "<br><span class=\"muted\">" + e(row.process) + "</span>" }
                out += "</td>\n        <td>"
                badge(row.badge, into: &out)
                out += "<br><span class=\"muted\">" + e(row.days) + "</span></td>\n        <td>"
                if row.lastReviewISO.isEmpty {
                    out += "none on record"
                } else {
                    out += "<time datetime=\"" + e(row.lastReviewISO) + "\">" + e(row.lastReview) + "</time>"
                    if !row.reviewer.isEmpty { out += " by " + e(row.reviewer) }
                    out += "<br><span class=\"muted\">" + e(row.evidence)
                    if !row.shortID.isEmpty { out += " <code>" + e(row.shortID) + "</code>" }
                    out += "</span>"
                }
                out += "</td>\n        <td>"
                out += row.nextDueISO.isEmpty ? "—" : "<time datetime=\"" + e(row.nextDueISO) + "\">" + e(row.nextDue) + "</time>"
                out += "</td>\n      </tr>\n"
            }
            out += "    </tbody>\n  </table>\n</section>\n"
        }
        return out
    }
}
