import SiteModel

extension SiteRenderer {
    /// The review dashboard: every SOP with its state, owner, last review and next due, grouped by owner (no owner
    /// first, then by name), most overdue first within a group.
    func dashboardView(_ site: Site) -> DashboardView {
        let permalink = "/reviews/"
        let processTitles = Dictionary(site.processes.map { ($0.key, $0.title) }, uniquingKeysWith: { first, _ in first })
        var byOwner: [String: [SOPPage]] = [:]
        for page in site.pages where !page.isObsolete { byOwner[page.document.owner ?? "", default: []].append(page) }
        let groups = byOwner.keys.sorted { a, b in
            if a.isEmpty != b.isEmpty { return a.isEmpty }
            return ((site.owners[a]?.name ?? a).lowercased(), a) < ((site.owners[b]?.name ?? b).lowercased(), b)
        }.map { key -> DashboardGroup in
            let pages = ReviewOutputs.byUrgency(byOwner[key] ?? [])
            let overdue = pages.filter { $0.review.state == .overdue }.count
            let dueSoon = pages.filter { $0.review.state == .dueSoon }.count
            let hasFeed = !key.isEmpty && pages.contains { $0.review.nextDue != nil }
            return DashboardGroup(
                feedURL: hasFeed ? Permalink.percentEncode(Permalink.slug(key)) + ".ics" : "",
                owner: key.isEmpty ? "No owner" : site.owners[key]?.name ?? key, ownerKey: key.isEmpty ? "-" : key,
                team: site.owners[key]?.team ?? "",
                summary: "\(pages.count) SOP\(pages.count == 1 ? "" : "s"): \(overdue) overdue, \(dueSoon) due soon",
                rows: pages.map { page in
                    let review = page.lastReview
                    let days: String
                    switch page.review.daysUntilDue {
                    case let d? where d < 0: days = "\(-d) day\(d == -1 ? "" : "s") overdue"
                    case 0?: days = "due today"
                    case let d?: days = "due in \(d) day\(d == 1 ? "" : "s")"
                    case nil: days = "no review on record"
                    }
                    return DashboardRow(
                        id: page.document.id, title: page.document.title, url: Permalink.relative(from: permalink, to: page.permalink),
                        process: page.document.processKey.flatMap { processTitles[$0] } ?? "", processKey: page.document.processKey ?? "",
                        ownerKey: key.isEmpty ? "-" : key, badge: badge(page.review), lastReview: review?.day.long ?? "none",
                        lastReviewISO: review?.day.iso ?? "", reviewer: review?.reviewer ?? "",
                        evidence: review.map { Self.evidence($0) } ?? "", shortID: review?.shortID ?? "",
                        nextDue: page.review.nextDue?.long ?? "—", nextDueISO: page.review.nextDue?.iso ?? "", days: days)
                })
        }
        let live = site.pages.filter { !$0.isObsolete }
        return DashboardView(
            asOf: site.now.long,
            overdue: live.filter { $0.review.state == .overdue }.count,
            dueSoon: live.filter { $0.review.state == .dueSoon }.count,
            neverReviewed: live.filter { $0.review.state == .neverReviewed }.count,
            noOwner: live.filter { $0.document.owner == nil }.count,
            current: live.filter { $0.review.state == .current }.count, total: live.count, groups: groups,
            processes: site.processes.map { FilterOption(value: $0.key, label: $0.title) },
            owners: groups.map { FilterOption(value: $0.ownerKey, label: $0.owner) })
    }
}
