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
    /// Extra scripts of this page, under `assets/`.
    let scripts: [String]

    func child(named name: String) -> Any? {
        switch name {
        case "scripts": self.scripts
        case "siteTitle": self.siteTitle
        case "pageTitle": self.pageTitle
        case "root": self.root
        case "content": self.content
        case "navigation": self.navigation
        case "description": self.description
        case "isHome": self.isHome
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
        case "title": self.title
        case "url": self.url
        case "isCurrent": self.isCurrent
        case "pages": self.pages
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
    let dueISO: String

    func child(named name: String) -> Any? {
        switch name {
        case "state": self.state
        case "label": self.label
        case "due": self.due
        case "dueText": self.dueText
        case "dueISO": self.dueISO
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
    let isObsolete: Bool
    let status: String

    func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "title": self.title
        case "url": self.url
        case "kind": self.kind
        case "owner": self.owner
        case "badge": self.badge
        case "lastChange": self.lastChange
        case "isObsolete": self.isObsolete
        case "status": self.status
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
        case "title": self.title
        case "url": self.url
        case "outcome": self.outcome
        case "pages": self.pages
        case "count": self.count
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
        case "siteTitle": self.siteTitle
        case "processes": self.processes
        case "unassigned": self.unassigned
        case "hasUnassigned": self.hasUnassigned
        case "summary": self.summary
        case "overdue": self.overdue
        case "dueSoon": self.dueSoon
        case "asOf": self.asOf
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
        case "title": self.title
        case "html": self.html
        case "start": self.start
        case "end": self.end
        case "stakeholders": self.stakeholders
        case "hasStakeholders": self.hasStakeholders
        case "outcome": self.outcome
        case "owner": self.owner
        case "pages": self.pages
        case "hasDefinition": self.hasDefinition
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
        case "day": self.day
        case "dayISO": self.dayISO
        case "instant": self.instant
        case "author": self.author
        case "shortID": self.shortID
        case "commitID": self.commitID
        case "subject": self.subject
        default: nil
        }
    }
}

struct HistoryRow: TemplateView {
    let revision: String
    let day: String
    let dayISO: String
    let author: String
    let subject: String
    let shortID: String
    let effect: String
    let isRevision: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "revision": self.revision
        case "day": self.day
        case "dayISO": self.dayISO
        case "author": self.author
        case "subject": self.subject
        case "shortID": self.shortID
        case "effect": self.effect
        case "isRevision": self.isRevision
        default: nil
        }
    }
}

struct ContributorRow: TemplateView {
    let name: String
    let commits: String

    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "commits": self.commits
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
        case "text": self.text
        case "anchor": self.anchor
        case "level": self.level
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
    let ownerTeam: String
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
    let lastRevision: PersonDate?
    let lastReview: ReviewView?
    let contributors: [ContributorRow]
    let badge: BadgeView
    let interval: String
    let intervalSource: String
    let nextDue: String
    let nextDueISO: String
    let status: String
    let banner: String
    let successors: [LinkView]
    let effectiveDate: String
    let history: [HistoryRow]
    let reviews: [ReviewView]
    let sourcePath: String
    let hasSuccessors: Bool
    let hasReviews: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "root": self.root
        case "id": self.id
        case "title": self.title
        case "kind": self.kind
        case "processTitle": self.processTitle
        case "processURL": self.processURL
        case "hasProcess": self.hasProcess
        case "scope": self.scope
        case "owner": self.owner
        case "hasOwner": self.hasOwner
        case "criticality": self.criticality
        case "tags": self.tags
        case "html": self.html
        case "toc": self.toc
        case "hasTOC": self.hasTOC
        case "isCommitted": self.isCommitted
        case "hasUncommittedChanges": self.hasUncommittedChanges
        case "revision": self.revision
        case "commits": self.commits
        case "created": self.created
        case "lastChange": self.lastChange
        case "contributors": self.contributors
        case "badge": self.badge
        case "interval": self.interval
        case "intervalSource": self.intervalSource
        case "nextDue": self.nextDue
        case "history": self.history
        case "sourcePath": self.sourcePath
        case "ownerTeam": self.ownerTeam
        case "lastRevision": self.lastRevision
        case "lastReview": self.lastReview
        case "nextDueISO": self.nextDueISO
        case "status": self.status
        case "banner": self.banner
        case "successors": self.successors
        case "effectiveDate": self.effectiveDate
        case "reviews": self.reviews
        case "hasSuccessors": self.hasSuccessors
        case "hasReviews": self.hasReviews
        default: nil
        }
    }
}

struct SearchPageView: TemplateView {
    let pages: [PageRow]

    func child(named name: String) -> Any? {
        switch name {
        case "pages": self.pages
        default: nil
        }
    }
}

struct LinkView: TemplateView {
    let text: String
    let url: String

    func child(named name: String) -> Any? {
        switch name {
        case "text": self.text
        case "url": self.url
        default: nil
        }
    }
}

struct ReviewView: TemplateView {
    let day: String
    let dayISO: String
    let reviewer: String
    let shortID: String
    let evidence: String
    let note: String

    func child(named name: String) -> Any? {
        switch name {
        case "day": self.day
        case "dayISO": self.dayISO
        case "reviewer": self.reviewer
        case "shortID": self.shortID
        case "evidence": self.evidence
        case "note": self.note
        default: nil
        }
    }
}

struct DashboardRow: TemplateView {
    let id: String
    let title: String
    let url: String
    let process: String
    let processKey: String
    let ownerKey: String
    let badge: BadgeView
    let lastReview: String
    let lastReviewISO: String
    let reviewer: String
    let evidence: String
    let shortID: String
    let nextDue: String
    let nextDueISO: String
    let days: String

    func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "title": self.title
        case "url": self.url
        case "process": self.process
        case "processKey": self.processKey
        case "ownerKey": self.ownerKey
        case "badge": self.badge
        case "lastReview": self.lastReview
        case "lastReviewISO": self.lastReviewISO
        case "reviewer": self.reviewer
        case "evidence": self.evidence
        case "shortID": self.shortID
        case "nextDue": self.nextDue
        case "nextDueISO": self.nextDueISO
        case "days": self.days
        default: nil
        }
    }
}

struct DashboardGroup: TemplateView {
    let owner: String
    let ownerKey: String
    let team: String
    let summary: String
    let rows: [DashboardRow]

    func child(named name: String) -> Any? {
        switch name {
        case "owner": self.owner
        case "ownerKey": self.ownerKey
        case "team": self.team
        case "summary": self.summary
        case "rows": self.rows
        default: nil
        }
    }
}

struct FilterOption: TemplateView {
    let value: String
    let label: String

    func child(named name: String) -> Any? {
        switch name {
        case "value": self.value
        case "label": self.label
        default: nil
        }
    }
}

struct DashboardView: TemplateView {
    let asOf: String
    let overdue: Int
    let dueSoon: Int
    let neverReviewed: Int
    let noOwner: Int
    let current: Int
    let total: Int
    let groups: [DashboardGroup]
    let processes: [FilterOption]
    let owners: [FilterOption]

    func child(named name: String) -> Any? {
        switch name {
        case "asOf": self.asOf
        case "overdue": self.overdue
        case "dueSoon": self.dueSoon
        case "neverReviewed": self.neverReviewed
        case "noOwner": self.noOwner
        case "current": self.current
        case "total": self.total
        case "groups": self.groups
        case "processes": self.processes
        case "owners": self.owners
        default: nil
        }
    }
}
