extension BuiltInTemplates {
    /// `layouts/sop.mustache` with `partials/badge.mustache` for `view`: every SOP's page (a fifth of a full build
    /// through Mustache). Where Mustache would look a name up in an outer context because the inner value is empty, this
    /// does the same (a history row without a revision shows the page's revision, as the template did).
    static func sop(_ view: SOPView) -> String {
        func e(_ text: String) -> String { HTMLEscaping.escape(text) }
        let revision = String(view.revision)
        var out = ""
        out.reserveCapacity(view.html.utf8.count + 8_000)
        out += "<article class=\"sop" + (view.banner.isEmpty ? "" : " sop--obsolete") + "\">\n"
        out += "  <nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n    <ol><li><a href=\"" + e(view.root) + "\">Home</a></li>"
        if view.hasProcess { out += "<li><a href=\"" + e(view.processURL) + "\">" + e(view.processTitle) + "</a></li>" }
        out += "</ol>\n  </nav>\n"
        out += "  <div class=\"print-header\" aria-hidden=\"true\"><span class=\"print-header__left\">" + e(view.id) + " · " + e(view.title)
            + "</span><span class=\"print-header__right\">"
        if view.isCommitted { out += "Rev " + revision }
        if !view.effectiveDate.isEmpty { out += " · Effective " + e(view.effectiveDate) }
        out += "</span></div>\n"
        out += "  <div class=\"print-footer\" aria-hidden=\"true\">Uncontrolled copy when printed — printed <span class=\"print-date\">"
            + e(view.printedOn) + "</span>"
        if !view.nextDue.isEmpty { out += "; next review due " + e(view.nextDue) }
        out += ". Check the live version before use.</div>\n"
        out += "  <header class=\"sop__header\">\n    <p class=\"eyebrow\"><span class=\"sop__id\">" + e(view.id) + "</span> · " + e(view.kind)
        if view.isCommitted { out += " · Rev " + revision }
        out += "</p>\n    <h1>" + e(view.title) + "</h1>\n"
        if !view.banner.isEmpty {
            out += "    <div class=\"notice notice--obsolete\" role=\"note\">\n      <p><strong>" + e(view.banner) + "</strong></p>\n      "
            if view.hasSuccessors {
                out += "<ul>"
                for link in view.successors {
                    out += "<li>" + (link.url.isEmpty ? e(link.text) : "<a href=\"" + e(link.url) + "\">" + e(link.text) + "</a>") + "</li>"
                }
                out += "</ul>"
            }
            out += "\n    </div>\n"
        }
        let badge = view.badge
        out += "    <p class=\"sop__status\"><span class=\"badge badge--" + e(badge.state) + "\" data-review-state=\"" + e(badge.state)
            + "\" data-review-due=\"" + e(badge.due) + "\" title=\"" + e(badge.dueText) + "\">" + e(badge.label) + "</span>\n\n      "
        if !view.nextDue.isEmpty {
            out += "<span class=\"sop__due\">Review due <time datetime=\"" + e(view.nextDueISO) + "\">" + e(view.nextDue) + "</time>.</span>"
        }
        out += "\n      "
        if let change = view.lastChange {
            out += "<span>Last changed " + e(view.lastChangedAgo) + " (<time datetime=\"" + e(change.instant) + "\" title=\"" + e(change.instant)
                + "\">" + e(change.day) + "</time>) by " + e(change.author) + ".</span>"
        }
        out += "\n      "
        if !view.isCommitted {
            out += view.historyUnknown ? "<span>History unknown: this page is older than the shallow clone it was built from.</span>"
                : "<span>Not committed yet: this page has no revision history.</span>"
        }
        out += "\n    </p>\n    "
        if view.hasUncommittedChanges {
            out += "<p class=\"notice notice--warning\" role=\"note\">This page has local edits that are not committed yet (uncommitted changes); "
                + "its history shows committed revisions only.</p>"
        }
        out += "\n    "
        if !view.scope.isEmpty { out += "<p class=\"sop__scope\"><strong>Scope:</strong> " + e(view.scope) + "</p>" }
        out += "\n    "
        if let parent = view.parentLink {
            out += "<p class=\"sop__parent\">Details one step of <a href=\"" + e(parent.url) + "\">" + e(parent.text) + "</a>.</p>"
        }
        out += "\n  </header>\n  <div class=\"sop__layout\">\n    <div class=\"prose\">\n" + view.html + "\n    </div>\n"
        out += "    <aside class=\"sop__meta\" aria-label=\"Document control\">\n      <h2 class=\"meta__title\">Document control</h2>\n      <dl>\n"
        out += "        <div><dt>ID</dt><dd>" + e(view.id) + "</dd></div>\n        <div><dt>Owner</dt><dd>"
        if view.hasOwner {
            out += view.ownerURL.isEmpty ? e(view.owner) : "<a href=\"" + e(view.ownerURL) + "\">" + e(view.owner) + "</a>"
            if !view.ownerTeam.isEmpty { out += "<br><span class=\"muted\">" + e(view.ownerTeam) + "</span>" }
        } else {
            out += "<strong>No owner</strong>"
        }
        out += "</dd></div>\n        "
        if !view.criticality.isEmpty { out += "<div><dt>Criticality</dt><dd>" + e(view.criticality) + "</dd></div>" }
        out += "\n        "
        if !view.effectiveDate.isEmpty { out += "<div><dt>Effective</dt><dd>" + e(view.effectiveDate) + "</dd></div>" }
        out += "\n        "
        if view.isCommitted {
            out += "<div><dt>Revision</dt><dd>Rev " + revision
            if let last = view.lastRevision { out += " of <time datetime=\"" + e(last.instant) + "\">" + e(last.day) + "</time>" }
            out += "</dd></div>"
        }
        out += "\n        "
        if let created = view.created {
            out += "<div><dt>Created</dt><dd><time datetime=\"" + e(created.instant) + "\">" + e(created.day) + "</time> by " + e(created.author) + "</dd></div>"
        }
        out += "\n        "
        if let change = view.lastChange {
            out += "<div><dt>Last change</dt><dd><time datetime=\"" + e(change.instant) + "\">" + e(change.day) + "</time> by " + e(change.author)
                + "<br><code>" + e(change.shortID) + "</code> " + e(change.subject) + "</dd></div>"
        }
        out += "\n        <div><dt>Last review</dt><dd>"
        if let review = view.lastReview {
            out += "<time datetime=\"" + e(review.dayISO) + "\">" + e(review.day) + "</time>"
            if !review.reviewer.isEmpty { out += " by " + e(review.reviewer) }
            out += "<br><span class=\"muted\">" + e(review.evidence)
            if !review.shortID.isEmpty { out += " <code>" + e(review.shortID) + "</code>" }
            out += "</span>"
        } else {
            out += "None on record"
        }
        out += "</dd></div>\n        <div><dt>Review</dt><dd>Every " + e(view.interval) + " (" + e(view.intervalSource) + ")"
        if !view.nextDue.isEmpty { out += "<br>Next due <time datetime=\"" + e(view.nextDueISO) + "\">" + e(view.nextDue) + "</time>" }
        out += "</dd></div>\n        <div><dt>Tags</dt><dd>"
        for link in view.tagLinks {
            out += (link.url.isEmpty ? "<span class=\"tag\">" + e(link.text) + "</span> " : "<a class=\"tag\" href=\"" + e(link.url) + "\">" + e(link.text) + "</a> ")
        }
        if view.tagLinks.isEmpty { out += "none" }
        out += "</dd></div>\n        <div><dt>Contributors</dt><dd><ul class=\"contributors\">"
        for contributor in view.contributors {
            out += "<li>" + e(contributor.name) + " <span class=\"muted\">(" + (contributor.commits.isEmpty ? String(view.commits) : e(contributor.commits))
                + ")</span></li>"
        }
        out += "</ul></dd></div>\n      </dl>\n      "
        if !view.instructions.isEmpty {
            out += "<h2 class=\"meta__title\">Work instructions</h2><ul class=\"toc\">"
            for link in view.instructions { out += "<li><a href=\"" + e(link.url) + "\">" + e(link.text) + "</a></li>" }
            out += "</ul>"
        }
        out += "\n"
        if view.hasTOC {
            out += "      <h2 class=\"meta__title\">On this page</h2>\n      <ul class=\"toc\">"
            for entry in view.toc {
                out += "<li class=\"toc__level-" + String(entry.level) + "\"><a href=\"#" + e(entry.anchor) + "\">" + e(entry.text) + "</a></li>"
            }
            out += "</ul>\n"
        }
        out += "    </aside>\n  </div>\n"
        if view.hasReviews {
            out += "  <section class=\"reviews\">\n    <h2 id=\"reviews\">Reviews without an edit</h2>\n    <ul>\n      "
            for review in view.reviews {
                out += "<li><time datetime=\"" + e(review.dayISO) + "\">" + e(review.day) + "</time> by " + e(review.reviewer) + " <code>"
                    + e(review.shortID) + "</code>"
                if !review.note.isEmpty { out += "<blockquote>" + e(review.note) + "</blockquote>" }
                out += "</li>"
            }
            out += "\n    </ul>\n  </section>\n"
        }
        if view.isCommitted {
            out += "  <section class=\"revisions\">\n    <h2 id=\"revision-history\">Revision history</h2>\n    <table>\n"
            out += "      <thead><tr><th scope=\"col\">Rev</th><th scope=\"col\">Date</th><th scope=\"col\">Author</th><th scope=\"col\">Change</th>"
                + "<th scope=\"col\">Kind</th><th scope=\"col\">Commit</th></tr></thead>\n      <tbody>\n"
            for row in view.history {
                let rowRevision = row.revision.isEmpty ? revision : e(row.revision)
                out += "        <tr" + (row.isRevision ? "" : " class=\"muted\"") + "><td>"
                    + (row.url.isEmpty ? rowRevision : "<a href=\"" + e(row.url) + "\">" + rowRevision + "</a>")
                    + "</td><td><time datetime=\"" + e(row.dayISO) + "\">" + e(row.day) + "</time></td><td>" + e(row.author) + "</td><td>"
                    + e(row.subject) + "</td><td>" + e(row.effect) + "</td><td><code>" + e(row.shortID) + "</code></td></tr>\n"
            }
            out += "      </tbody>\n    </table>\n  </section>\n"
        }
        out += "  <nav class=\"pager\" aria-label=\"Previous and next in this process\">\n    "
        if let previous = view.previous {
            out += "<a class=\"pager__previous\" href=\"" + e(previous.url) + "\" rel=\"prev\"><span class=\"muted\">Previous</span><br>" + e(previous.text) + "</a>"
        }
        out += "\n    "
        if let next = view.next {
            out += "<a class=\"pager__next\" href=\"" + e(next.url) + "\" rel=\"next\"><span class=\"muted\">Next</span><br>" + e(next.text) + "</a>"
        }
        out += "\n  </nav>\n  <p class=\"source muted\">Source: <code>" + e(view.sourcePath) + "</code></p>\n</article>\n"
        return out
    }
}
