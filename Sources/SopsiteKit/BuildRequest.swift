import SOPCore

/// What `sopsite build` was asked to do. Paths are as the user gave them (absolute or relative to the working folder).
public struct BuildRequest: Sendable {
    /// The repository's top folder (its working tree).
    public var repository: String
    /// Content folder relative to the repository; nil: `content:` from `sopsite.yml`, else `content`.
    public var content: String?
    /// Output folder; relative paths are relative to the working folder; nil: `output:` in sopsite.yml (relative to
    /// the repository), else `_site` at the top of the repository (in the working folder for a bare repository).
    public var output: String?
    /// The day review status is judged on (the one clock read of a run, made by the CLI).
    public var now: NowSetting
    public var baseURL: String?
    /// A theme folder whose files override the built-in theme's by name.
    public var themeOverride: String?
    /// Replace a non-empty output folder that sopsite did not create.
    public var force: Bool
    /// Publish `status: draft` documents too.
    public var includeDrafts = false
    /// Build what is committed only: untracked files are left out and uncommitted edits ignored.
    public var committedOnly = false
    /// Build a shallow clone anyway; every page then says its history is incomplete.
    public var allowShallow = false
    /// `.build` writes the site; `.check` validates everything and applies the review policy without writing.
    public var mode: Mode = .build
    /// Publish earlier revisions' pages; nil: `revision_pages:` in sopsite.yml (default true).
    public var revisionPages: Bool?
    /// Where history facts and rendered SOPs are kept for the next build (`--cache`, `--no-cache`).
    public var cache: CacheSetting = .off
    /// `sopsite serve`: what earlier builds of this server rendered, kept in memory.
    public var memory: RenderMemory?
    /// The build's large values (documents, history, site model, page record) are kept, not freed, when the build
    /// returns: a command that exits right after lets the system reclaim them at once (git's `UNLEAK`, clang's
    /// `-disable-free`), where freeing them one by one was the last tens of milliseconds of a rebuild. Never for a server.
    public var keepsMemoryUntilExit = false

    public enum Mode: Sendable, Equatable {
        case build
        /// Fail on SOPs whose review state is at least this urgent (`nil`: review states never fail).
        case check(failOn: ReviewThreshold?)
    }

    /// `sopsite check --fail-on`: which review states are problems.
    public enum ReviewThreshold: String, Sendable, CaseIterable {
        /// Overdue or never reviewed.
        case overdue
        /// Also due soon.
        case dueSoon = "due-soon"
    }

    /// `--now` as given: a calendar day, an instant (judged in the site's time zone), or today (clock read by the CLI).
    public enum NowSetting: Sendable, Equatable {
        case day(Day)
        case instant(Instant)
    }

    public init(repository: String = ".", content: String? = nil, output: String? = "_site", now: NowSetting,
                baseURL: String? = nil, themeOverride: String? = nil, force: Bool = false, includeDrafts: Bool = false,
                committedOnly: Bool = false) {
        self.includeDrafts = includeDrafts
        self.committedOnly = committedOnly
        self.repository = repository
        self.content = content
        self.output = output
        self.now = now
        self.baseURL = baseURL
        self.themeOverride = themeOverride
        self.force = force
    }
}

/// What a build did: every diagnostic (sorted), counts for the summary line, and whether the site was written.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var pages = 0
    public var processes = 0
    public var overdue = 0
    public var dueSoon = 0
    public var commitsWalked = 0
    public var filesWritten = 0
    /// Files of `filesWritten` whose bytes were written; the rest were the previous site's files, linked or kept.
    public var filesRewritten = 0
    /// True when the build updated the site before last, kept in the cache, instead of a new folder (`SpareSite`).
    public var updatedSpareSite = false
    /// Markdown files parsed by this build; the others' documents came from the cache (`--cache`).
    public var documentsParsed = 0
    /// SOPs whose pages were reused from the previous build (`--cache`).
    public var reusedSOPs = 0
    /// Absolute output folder.
    public var outputPath = ""
    public var now: Day?
    /// Seconds spent per stage, in order (for `--verbose`).
    public var timings: [(stage: String, seconds: Double)] = []
    /// True when the site was written (no error-severity diagnostics).
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }

    public init() {}
}
