import Documents
import FuzzSupport
import SOPCore

/// One fuzzing input (main.swift hands it over from libFuzzer): one Markdown file, `content/ops/fuzzed.md`, with or
/// without front matter, beside a process file and a sibling SOP that link to it. It goes through the document
/// pipeline: UTF-8 and binary checks, front-matter split, YAML fields (Yams), the site model, and every published
/// body rendered by cmark-gfm with its links rewritten to the site's pages and files. Diagnostics are expected; a
/// crash, a hang, runaway memory or a broken invariant (`FuzzRun.assemble`, `renderBodies`) is a bug. Fast: fuzz-site renders
/// the same input through the theme as well.
func fuzzDocument(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let files = FuzzRun.files(fuzzed: data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    FuzzRun.renderBodies(of: FuzzRun.assemble(files, config: SiteConfig()), lineCounts: FuzzRun.lineCounts(files))
    return 0
}
