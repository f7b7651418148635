import Foundation
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// What the preview watches: the build's inputs, as the build resolves them.
@Suite struct BuildInputsTests {
    @Test("the content and theme folders, sopsite.yml, the owners files, and HEAD with the branch it points to")
    func inputs() throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "sopsite.yml": "content: procedures\ntheme: look\n",
            "procedures/support/refund.md": "---\nid: SOP-1\n---\nx\n",
        ])
        let root = URL(fileURLWithPath: repo.path).standardizedFileURL.path
        let inputs = BuildPipeline.inputs(of: BuildRequest(repository: repo.path, output: nil, now: .instant(.init(secondsSinceEpoch: 0, offsetMinutes: 0))))
        #expect(inputs.folders == [root + "/procedures", root + "/look"])
        #expect(inputs.files.contains(root + "/sopsite.yml"))
        #expect(inputs.files.contains(root + "/procedures/owners.yml"))
        #expect(inputs.files.contains(root + "/.git/HEAD"))
        #expect(inputs.files.contains(root + "/.git/refs/heads/main"))
    }
}
