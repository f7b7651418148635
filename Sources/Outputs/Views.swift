import Mustache

// View structs: every string preformatted, so templates hold no logic (STYLE §8). Arrays, never dictionaries, so output
// order is defined. Each view answers `child(named:)` itself: swift-mustache otherwise finds fields by reflection
// (`Mirror`), which cost 70 % of a 274-page build; a test checks that every stored property is answered.

/// A view the templates read by field name, without reflection.
typealias TemplateView = MustacheParent

// Mustache sections treat "" as true; a view's empty text is absent, so `{{#scope}}…{{/scope}}` shows nothing.
func present(_ value: String) -> Any? { value.isEmpty ? nil : value }
func present<T>(_ value: T?) -> Any? { value.flatMap { present($0) } }
func present<T>(_ value: T) -> Any? { value }

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
    /// A site-wide warning shown on every page (e.g. an incomplete history), empty when none.
    var notice: String = ""

    func child(named name: String) -> Any? {
        switch name {
        case "notice": present(self.notice)
        case "scripts": present(self.scripts)
        case "siteTitle": present(self.siteTitle)
        case "pageTitle": present(self.pageTitle)
        case "root": present(self.root)
        case "content": present(self.content)
        case "navigation": present(self.navigation)
        case "description": present(self.description)
        case "isHome": present(self.isHome)
        default: nil
        }
    }
}

struct NavigationItem: TemplateView {
    let title: String
    let url: String
    /// The current page is this item or one of its pages (a process: it is open).
    let isCurrent: Bool
    let pages: [NavigationItem]
    /// The current page is this item itself (a process page: its link is marked `aria-current`).
    var isPage = false

    func child(named name: String) -> Any? {
        switch name {
        case "hasPages": !pages.isEmpty
        case "title": present(self.title)
        case "url": present(self.url)
        case "isCurrent": present(self.isCurrent)
        case "isPage": present(self.isPage)
        case "pages": present(self.pages)
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
        case "state": present(self.state)
        case "label": present(self.label)
        case "due": present(self.due)
        case "dueText": present(self.dueText)
        case "dueISO": present(self.dueISO)
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
    let ownerURL: String

    func child(named name: String) -> Any? {
        switch name {
        case "id": present(self.id)
        case "title": present(self.title)
        case "url": present(self.url)
        case "kind": present(self.kind)
        case "owner": present(self.owner)
        case "badge": present(self.badge)
        case "lastChange": present(self.lastChange)
        case "isObsolete": present(self.isObsolete)
        case "status": present(self.status)
        case "ownerURL": present(self.ownerURL)
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
        case "title": present(self.title)
        case "url": present(self.url)
        case "outcome": present(self.outcome)
        case "pages": present(self.pages)
        case "count": present(self.count)
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
        case "siteTitle": present(self.siteTitle)
        case "processes": present(self.processes)
        case "unassigned": present(self.unassigned)
        case "hasUnassigned": present(self.hasUnassigned)
        case "summary": present(self.summary)
        case "overdue": present(self.overdue)
        case "dueSoon": present(self.dueSoon)
        case "asOf": present(self.asOf)
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
    let stages: [StageView]
    let diagram: String
    let ownerURL: String

    func child(named name: String) -> Any? {
        switch name {
        case "title": present(self.title)
        case "html": present(self.html)
        case "start": present(self.start)
        case "end": present(self.end)
        case "stakeholders": present(self.stakeholders)
        case "hasStakeholders": present(self.hasStakeholders)
        case "outcome": present(self.outcome)
        case "owner": present(self.owner)
        case "pages": present(self.pages)
        case "hasDefinition": present(self.hasDefinition)
        case "stages": present(self.stages)
        case "diagram": present(self.diagram)
        case "ownerURL": present(self.ownerURL)
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
        case "day": present(self.day)
        case "dayISO": present(self.dayISO)
        case "instant": present(self.instant)
        case "author": present(self.author)
        case "shortID": present(self.shortID)
        case "commitID": present(self.commitID)
        case "subject": present(self.subject)
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
    /// The revision page, for revisions.
    let url: String

    func child(named name: String) -> Any? {
        switch name {
        case "url": present(self.url)
        case "revision": present(self.revision)
        case "day": present(self.day)
        case "dayISO": present(self.dayISO)
        case "author": present(self.author)
        case "subject": present(self.subject)
        case "shortID": present(self.shortID)
        case "effect": present(self.effect)
        case "isRevision": present(self.isRevision)
        default: nil
        }
    }
}

struct ContributorRow: TemplateView {
    let name: String
    let commits: String

    func child(named name: String) -> Any? {
        switch name {
        case "name": present(self.name)
        case "commits": present(self.commits)
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
        case "text": present(self.text)
        case "anchor": present(self.anchor)
        case "level": present(self.level)
        default: nil
        }
    }
}

struct SOPView: TemplateView {
    /// Not committed as far as this (shallow) clone can tell: its history is older than the clone.
    var historyUnknown = false
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
    let lastChangedAgo: String
    let printedOn: String
    let previous: LinkView?
    let next: LinkView?
    let parentLink: LinkView?
    let instructions: [LinkView]
    let tagLinks: [LinkView]
    let ownerURL: String

    func child(named name: String) -> Any? {
        switch name {
        case "root": present(self.root)
        case "id": present(self.id)
        case "title": present(self.title)
        case "kind": present(self.kind)
        case "processTitle": present(self.processTitle)
        case "processURL": present(self.processURL)
        case "hasProcess": present(self.hasProcess)
        case "scope": present(self.scope)
        case "owner": present(self.owner)
        case "hasOwner": present(self.hasOwner)
        case "criticality": present(self.criticality)
        case "tags": present(self.tags)
        case "html": present(self.html)
        case "toc": present(self.toc)
        case "hasTOC": present(self.hasTOC)
        case "isCommitted": present(self.isCommitted)
        case "hasUncommittedChanges": present(self.hasUncommittedChanges)
        case "revision": present(self.revision)
        case "commits": present(self.commits)
        case "created": present(self.created)
        case "lastChange": present(self.lastChange)
        case "contributors": present(self.contributors)
        case "badge": present(self.badge)
        case "interval": present(self.interval)
        case "intervalSource": present(self.intervalSource)
        case "nextDue": present(self.nextDue)
        case "history": present(self.history)
        case "sourcePath": present(self.sourcePath)
        case "ownerTeam": present(self.ownerTeam)
        case "lastRevision": present(self.lastRevision)
        case "lastReview": present(self.lastReview)
        case "nextDueISO": present(self.nextDueISO)
        case "status": present(self.status)
        case "banner": present(self.banner)
        case "successors": present(self.successors)
        case "effectiveDate": present(self.effectiveDate)
        case "reviews": present(self.reviews)
        case "hasSuccessors": present(self.hasSuccessors)
        case "hasReviews": present(self.hasReviews)
        case "historyUnknown": present(self.historyUnknown)
        case "lastChangedAgo": present(self.lastChangedAgo)
        case "hasInstructions": !instructions.isEmpty
        case "printedOn": present(self.printedOn)
        case "previous": present(self.previous)
        case "next": present(self.next)
        case "parentLink": present(self.parentLink)
        case "instructions": present(self.instructions)
        case "tagLinks": present(self.tagLinks)
        case "ownerURL": present(self.ownerURL)
        default: nil
        }
    }
}


struct LinkView: TemplateView {
    let text: String
    let url: String

    func child(named name: String) -> Any? {
        switch name {
        case "text": present(self.text)
        case "url": present(self.url)
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
        case "day": present(self.day)
        case "dayISO": present(self.dayISO)
        case "reviewer": present(self.reviewer)
        case "shortID": present(self.shortID)
        case "evidence": present(self.evidence)
        case "note": present(self.note)
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
        case "id": present(self.id)
        case "title": present(self.title)
        case "url": present(self.url)
        case "process": present(self.process)
        case "processKey": present(self.processKey)
        case "ownerKey": present(self.ownerKey)
        case "badge": present(self.badge)
        case "lastReview": present(self.lastReview)
        case "lastReviewISO": present(self.lastReviewISO)
        case "reviewer": present(self.reviewer)
        case "evidence": present(self.evidence)
        case "shortID": present(self.shortID)
        case "nextDue": present(self.nextDue)
        case "nextDueISO": present(self.nextDueISO)
        case "days": present(self.days)
        default: nil
        }
    }
}

struct DashboardGroup: TemplateView {
    let feedURL: String
    let owner: String
    let ownerKey: String
    let team: String
    let summary: String
    let rows: [DashboardRow]

    func child(named name: String) -> Any? {
        switch name {
        case "feedURL": present(self.feedURL)
        case "owner": present(self.owner)
        case "ownerKey": present(self.ownerKey)
        case "team": present(self.team)
        case "summary": present(self.summary)
        case "rows": present(self.rows)
        default: nil
        }
    }
}

struct FilterOption: TemplateView {
    let value: String
    let label: String

    func child(named name: String) -> Any? {
        switch name {
        case "value": present(self.value)
        case "label": present(self.label)
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
        case "asOf": present(self.asOf)
        case "overdue": present(self.overdue)
        case "dueSoon": present(self.dueSoon)
        case "neverReviewed": present(self.neverReviewed)
        case "noOwner": present(self.noOwner)
        case "current": present(self.current)
        case "total": present(self.total)
        case "groups": present(self.groups)
        case "processes": present(self.processes)
        case "owners": present(self.owners)
        default: nil
        }
    }
}

struct DiffSegment: TemplateView {
    let text: String
    let isChanged: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "text": present(self.text)
        case "isChanged": present(self.isChanged)
        default: nil
        }
    }
}

struct DiffLineView: TemplateView {
    /// `same`, `added` or `removed`.
    let kind: String
    let sign: String
    let segments: [DiffSegment]

    func child(named name: String) -> Any? {
        switch name {
        case "kind": present(self.kind)
        case "sign": present(self.sign)
        case "segments": present(self.segments)
        default: nil
        }
    }
}

struct RevisionView: TemplateView {
    let id: String
    let title: String
    let revision: String
    let day: String
    let dayISO: String
    let author: String
    let subject: String
    let shortID: String
    let isCurrent: Bool
    let currentRevision: String
    let currentURL: String
    let html: String
    /// The diff's lines, made into views only when a theme's template asks for `diff`.
    let diffLines: RevisionDiff?
    /// `diff` as the default theme shows it, escaped, one `<span>` per line: one string for the template instead of a
    /// section per word run (those sections were a quarter of a 300-SOP build).
    let diffHTML: String
    let hasDiff: Bool
    let previousRevision: String
    let added: Int
    let removed: Int

    func child(named name: String) -> Any? {
        switch name {
        case "id": present(self.id)
        case "title": present(self.title)
        case "revision": present(self.revision)
        case "day": present(self.day)
        case "dayISO": present(self.dayISO)
        case "author": present(self.author)
        case "subject": present(self.subject)
        case "shortID": present(self.shortID)
        case "isCurrent": present(self.isCurrent)
        case "currentRevision": present(self.currentRevision)
        case "currentURL": present(self.currentURL)
        case "html": present(self.html)
        case "diff": present(self.diffLines?.lineViews ?? [])
        case "diffHTML": present(self.diffHTML)
        case "hasDiff": present(self.hasDiff)
        case "previousRevision": present(self.previousRevision)
        case "added": present(self.added)
        case "removed": present(self.removed)
        default: nil
        }
    }
}

struct StageView: TemplateView {
    let number: Int
    let row: PageRow
    let instructions: [PageRow]

    func child(named name: String) -> Any? {
        switch name {
        case "number": present(self.number)
        case "row": present(self.row)
        case "instructions": present(self.instructions)
        default: nil
        }
    }
}

/// A list page: tag, owner, recently changed.
struct ListPageView: TemplateView {
    let eyebrow: String
    let title: String
    let lead: String
    let pages: [PageRow]
    let links: [LinkView]

    func child(named name: String) -> Any? {
        switch name {
        case "hasPages": !pages.isEmpty
        case "hasLinks": !links.isEmpty
        case "eyebrow": present(self.eyebrow)
        case "title": present(self.title)
        case "lead": present(self.lead)
        case "pages": present(self.pages)
        case "links": present(self.links)
        default: nil
        }
    }
}
