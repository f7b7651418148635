import Foundation
import Outputs

/// Writes a site atomically: into a staging folder beside the output folder, then swaps it into place with renames,
/// so readers and a failed or interrupted build never see a half-written site.
enum SiteWriter {
    static func write(_ files: [OutputFile], to output: String) throws {
        let manager = FileManager.default
        let parent = (output as NSString).deletingLastPathComponent
        try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)"
        let staging = output + ".sopsite-staging-" + suffix
        let retired = output + ".sopsite-old-" + suffix
        try? manager.removeItem(atPath: staging)
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            for file in files {
                let url = URL(fileURLWithPath: staging + "/" + file.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
            try Data("This folder was written by sopsite; the next build replaces it.\n".utf8)
                .write(to: URL(fileURLWithPath: staging + "/" + BuildPipeline.markerFileName))
            if manager.fileExists(atPath: output) {
                try manager.moveItem(atPath: output, toPath: retired)
            }
            try manager.moveItem(atPath: staging, toPath: output)
        } catch {
            try? manager.removeItem(atPath: staging)
            if !manager.fileExists(atPath: output), manager.fileExists(atPath: retired) {
                try? manager.moveItem(atPath: retired, toPath: output)
            }
            throw error
        }
        try? manager.removeItem(atPath: retired)
    }
}
