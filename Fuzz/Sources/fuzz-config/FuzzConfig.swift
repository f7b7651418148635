import Documents
import FuzzSupport
import SOPCore

/// One fuzzing input (main.swift hands it over from libFuzzer): the input is `sopsite.yml`. It is parsed as the config and, the same bytes, as the owners
/// file; a config without errors then builds a small site (its title, base URL, time zone, intervals and Markdown
/// setting all reach the output). Diagnostics are expected; a crash, a hang, runaway memory, a config that accepts a
/// path outside the repository or a non-http base URL, a diagnostic outside the file's lines or a broken output
/// invariant is a bug.
func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let ownersFile = SourceFile(path: RepoPath("content/owners.yml"), bytes: bytes)
    let configFile = SourceFile(path: RepoPath("sopsite.yml"), bytes: bytes)
    let lineCounts = FuzzRun.lineCounts([ownersFile, configFile])
    FuzzRun.checkDiagnostics(Owners.load(ownersFile).diagnostics, lineCounts: lineCounts)
    let loaded = SiteConfig.load(configFile)
    FuzzRun.checkDiagnostics(loaded.diagnostics, lineCounts: lineCounts)
    guard !loaded.hasErrors else { return 0 }
    let config = loaded.value
    for path in [config.contentRoot] + [config.ownersFile, config.themeFolder, config.ignoreRevsFile].compactMap({ $0 }) {
        if path.value.hasPrefix("/") || path.value.split(separator: "/").contains("..") {
            FuzzRun.fail("config accepted the path \(path.value), which leaves the repository")
        }
    }
    let base = config.baseURL.lowercased()
    if !(base.isEmpty || base.hasPrefix("http://") || base.hasPrefix("https://")) {
        FuzzRun.fail("config accepted the base URL \(config.baseURL)")
    }
    // The fixed documents, moved under the configured content folder so they are found.
    let root = config.contentRoot.value.isEmpty ? "" : config.contentRoot.value + "/"
    let files = [FuzzRun.processFile, FuzzRun.otherFile].map { file in
        SourceFile(path: RepoPath(root + file.path.value.dropFirst("content/".count)), bytes: file.bytes)
    }
    let site = FuzzRun.assemble(files, config: config)
    FuzzRun.renderBodies(of: site, lineCounts: [:])
    FuzzRun.renderSite(site)
    return 0
}
