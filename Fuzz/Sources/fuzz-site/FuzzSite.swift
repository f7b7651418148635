import Documents
import FuzzSupport
import SOPCore

/// One fuzzing input (main.swift hands it over from libFuzzer): the same Markdown file as fuzz-document's, built into
/// the whole site with the built-in theme: every page, the dashboard, owner and tag lists, the search index, feeds
/// and JSON files, each checked by `OutputInvariants` (front-matter values escaped in every context). About 30 ms a
/// run, most of it the theme's templates being parsed for each build.
func fuzzSite(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let files = FuzzRun.files(fuzzed: data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    FuzzRun.renderSite(FuzzRun.assemble(files, config: SiteConfig()))
    return 0
}
