// View structs: every string preformatted, so templates hold no logic (STYLE §8). Mustache reads them by reflection;
// arrays, never dictionaries, so output order is defined.

struct LayoutView {
    let siteTitle: String
    let pageTitle: String
    /// Relative path from this page to the site root (`../../`, or `./` at the root), for assets and links.
    let root: String
    let content: String
    let navigation: [NavigationItem]
    let description: String
    let isHome: Bool
}

struct NavigationItem {
    let title: String
    let url: String
    let isCurrent: Bool
    let pages: [NavigationItem]
}

struct BadgeView {
    let state: String
    let label: String
    /// `yyyy-MM-dd`, empty when never committed: `review-badge.js` re-judges the badge when the page is read later.
    let due: String
    let dueText: String
}

struct PageRow {
    let id: String
    let title: String
    let url: String
    let kind: String
    let owner: String
    let badge: BadgeView
    let lastChange: String
}

struct ProcessCard {
    let title: String
    let url: String
    let outcome: String
    let pages: [PageRow]
    let count: String
}

struct HomeView {
    let siteTitle: String
    let processes: [ProcessCard]
    let unassigned: [PageRow]
    let hasUnassigned: Bool
    let summary: String
    let overdue: Int
    let dueSoon: Int
    let asOf: String
}

struct ProcessView {
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
}

struct PersonDate {
    let day: String
    let dayISO: String
    let instant: String
    let author: String
    let shortID: String
    let commitID: String
    let subject: String
}

struct HistoryRow {
    let revision: Int
    let day: String
    let dayISO: String
    let author: String
    let subject: String
    let shortID: String
    let effect: String
}

struct ContributorRow {
    let name: String
    let commits: String
}

struct TOCEntry {
    let text: String
    let anchor: String
    let level: Int
}

struct SOPView {
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
}

struct SearchPageView {
    let pages: [PageRow]
}
