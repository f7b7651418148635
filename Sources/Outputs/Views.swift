import Mustache

// View structs: every string preformatted, so templates hold no logic (STYLE §8). Arrays, never dictionaries, so output
// order is defined. Each view answers `child(named:)` itself: swift-mustache otherwise finds fields by reflection
// (`Mirror`), which cost 70 % of a 274-page build; a test checks that every stored property is answered.

/// A view the templates read by field name, without reflection.
typealias TemplateView = MustacheParent

struct LayoutView: TemplateView {
    let siteTitle: String
    let pageTitle: String
    /// Relative path from this page to the site root (`../../`, or `./` at the root), for assets and links.
    let root: String
    let content: String
    let navigation: [NavigationItem]
    let description: String
    let isHome: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "siteTitle": siteTitle
        case "pageTitle": pageTitle
        case "root": root
        case "content": content
        case "navigation": navigation
        case "description": description
        case "isHome": isHome
        default: nil
        }
    }
}

struct NavigationItem: TemplateView {
    let title: String
    let url: String
    let isCurrent: Bool
    let pages: [NavigationItem]

    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "url": url
        case "isCurrent": isCurrent
        case "pages": pages
        default: nil
        }
    }
}

struct BadgeView: TemplateView {
    let state: String
    let label: String
    /// `yyyy-MM-dd`, empty when never committed: `review-badge.js` re-judges the badge when the page is read later.
    let due: String
    let dueText: String

    func child(named name: String) -> Any? {
        switch name {
        case "state": state
        case "label": label
        case "due": due
        case "dueText": dueText
        default: nil
        }
    }
}

struct PageRow: TemplateView {
    let id: String
    let title: String
    let url: String
    let kind: String
    let owner: String
    let badge: BadgeView
    let lastChange: String

    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "url": url
        case "kind": kind
        case "owner": owner
        case "badge": badge
        case "lastChange": lastChange
        default: nil
        }
    }
}

struct ProcessCard: TemplateView {
    let title: String
    let url: String
    let outcome: String
    let pages: [PageRow]
    let count: String

    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "url": url
        case "outcome": outcome
        case "pages": pages
        case "count": count
        default: nil
        }
    }
}

struct HomeView: TemplateView {
    let siteTitle: String
    let processes: [ProcessCard]
    let unassigned: [PageRow]
    let hasUnassigned: Bool
    let summary: String
    let overdue: Int
    let dueSoon: Int
    let asOf: String

    func child(named name: String) -> Any? {
        switch name {
        case "siteTitle": siteTitle
        case "processes": processes
        case "unassigned": unassigned
        case "hasUnassigned": hasUnassigned
        case "summary": summary
        case "overdue": overdue
        case "dueSoon": dueSoon
        case "asOf": asOf
        default: nil
        }
    }
}

struct ProcessView: TemplateView {
    let title: String
    let html: String
    let start: String
    let end: String
    let stakeholders: [String]
    let hasStakeholders: Bool
    let outcome: String
    let owner: String
    let pages: [PageRow]
    let hasDefinition: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "html": html
        case "start": start
        case "end": end
        case "stakeholders": stakeholders
        case "hasStakeholders": hasStakeholders
        case "outcome": outcome
        case "owner": owner
        case "pages": pages
        case "hasDefinition": hasDefinition
        default: nil
        }
    }
}

struct PersonDate: TemplateView {
    let day: String
    let dayISO: String
    let instant: String
    let author: String
    let shortID: String
    let commitID: String
    let subject: String

    func child(named name: String) -> Any? {
        switch name {
        case "day": day
        case "dayISO": dayISO
        case "instant": instant
        case "author": author
        case "shortID": shortID
        case "commitID": commitID
        case "subject": subject
        default: nil
        }
    }
}

struct HistoryRow: TemplateView {
    let revision: Int
    let day: String
    let dayISO: String
    let author: String
    let subject: String
    let shortID: String
    let effect: String

    func child(named name: String) -> Any? {
        switch name {
        case "revision": revision
        case "day": day
        case "dayISO": dayISO
        case "author": author
        case "subject": subject
        case "shortID": shortID
        case "effect": effect
        default: nil
        }
    }
}

struct ContributorRow: TemplateView {
    let name: String
    let commits: String

    func child(named name: String) -> Any? {
        switch name {
        case "name": name
        case "commits": commits
        default: nil
        }
    }
}

struct TOCEntry: TemplateView {
    let text: String
    let anchor: String
    let level: Int

    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "anchor": anchor
        case "level": level
        default: nil
        }
    }
}

struct SOPView: TemplateView {
    let root: String
    let id: String
    let title: String
    let kind: String
    let processTitle: String
    let processURL: String
    let hasProcess: Bool
    let scope: String
    let owner: String
    let hasOwner: Bool
    let criticality: String
    let tags: [String]
    let html: String
    let toc: [TOCEntry]
    let hasTOC: Bool
    let isCommitted: Bool
    let hasUncommittedChanges: Bool
    let revision: Int
    let commits: Int
    let created: PersonDate?
    let lastChange: PersonDate?
    let contributors: [ContributorRow]
    let badge: BadgeView
    let interval: String
    let intervalSource: String
    let lastReview: String
    let nextDue: String
    let history: [HistoryRow]
    let sourcePath: String

    func child(named name: String) -> Any? {
        switch name {
        case "root": root
        case "id": id
        case "title": title
        case "kind": kind
        case "processTitle": processTitle
        case "processURL": processURL
        case "hasProcess": hasProcess
        case "scope": scope
        case "owner": owner
        case "hasOwner": hasOwner
        case "criticality": criticality
        case "tags": tags
        case "html": html
        case "toc": toc
        case "hasTOC": hasTOC
        case "isCommitted": isCommitted
        case "hasUncommittedChanges": hasUncommittedChanges
        case "revision": revision
        case "commits": commits
        case "created": created
        case "lastChange": lastChange
        case "contributors": contributors
        case "badge": badge
        case "interval": interval
        case "intervalSource": intervalSource
        case "lastReview": lastReview
        case "nextDue": nextDue
        case "history": history
        case "sourcePath": sourcePath
        default: nil
        }
    }
}

struct SearchPageView: TemplateView {
    let pages: [PageRow]

    func child(named name: String) -> Any? {
        switch name {
        case "pages": pages
        default: nil
        }
    }
}
