import Documents
import SOPCore
import Testing

/// Inputs the fuzz targets in Fuzz/ found (README, "Fuzzing"), minimised; each test names the target and the cause.
@Suite struct FuzzRegressionTests {
    @Test("a YAML file holding only the document marker --- is empty, not an error on a line after the file's end",
          arguments: ["---", "---\n", "--- # settings\n", "---\n~\n", "---\n...\n"])
    func documentMarkerOnly(_ text: String) throws {
        // fuzz-config: `---` without a line break gave owners.not-a-mapping (and config.not-a-mapping) on line 2 of a
        // one-line file. Yams reads it as a document holding a null value, which libyaml places at the end of the
        // stream: a line past the text when the text does not end with a line break.
        let config = SiteConfig.load(SourceFile(path: RepoPath("sopsite.yml"), bytes: Array(text.utf8)))
        #expect(config.diagnostics.map { "\($0.location) \($0.code)" } == [])
        #expect(config.value.title == SiteConfig().title)
        let owners = Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array(text.utf8)))
        #expect(owners.diagnostics.map { "\($0.location) \($0.code)" } == [])
        #expect(owners.value.byHandle.isEmpty)
    }

    @Test("front matter holding only a null value is empty front matter")
    func nullFrontMatter() throws {
        let loader = DocumentLoader(contentRoot: RepoPath("content"))
        let result = loader.load(SourceFile(path: RepoPath("content/ops/restart.md"), bytes: Array("---\n~\n---\n# Restart\n".utf8)))
        #expect(result.diagnostics.map { "\($0.location) \($0.code)" } == [])
        #expect(try #require(result.value).title == "Restart")
    }

    @Test("a YAML error at the end of a file without a final line break is reported on the file's last line",
          arguments: [("[[[ ", 1), ("title: Site\nreview: [", 2), ("title: Site\nreview:\n  due_soon: {", 3), ("title: \"Site", 1)])
    func errorAtEndOfText(_ text: String, line: Int) throws {
        // fuzz-config: `[[[ ` gave owners.yaml and config.yaml on line 2 of a one-line file. libyaml reports the end of
        // the stream a line past the text when the text does not end with a line break, and the flow collection's own
        // mark was there too.
        let config = SiteConfig.load(SourceFile(path: RepoPath("sopsite.yml"), bytes: Array(text.utf8)))
        #expect(config.diagnostics.map { "\($0.location) \($0.code)" } == ["sopsite.yml:\(line) config.yaml"])
        let owners = Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array(text.utf8)))
        #expect(owners.diagnostics.map { "\($0.location) \($0.code)" } == ["content/owners.yml:\(line) owners.yaml"])
    }

    @Test("a value that is not a mapping is still refused, on its own line")
    func scalarIsNotAMapping() {
        let config = SiteConfig.load(SourceFile(path: RepoPath("sopsite.yml"), bytes: Array("# settings\n--- just text".utf8)))
        #expect(config.diagnostics.map { "\($0.location) \($0.code)" } == ["sopsite.yml:2 config.not-a-mapping"])
    }
}
