import Foundation

/// Golden files: an output compared byte for byte with `Tests/<suite>/Golden/<name>`. With `SOPSITE_RECORD_GOLDEN=1` the
/// file is (re)written and the comparison still fails, so that a recording is always a reviewed diff.
public enum Golden {
    /// - Returns: nil when the bytes match; else a message saying what differs (or that it was recorded).
    public static func check(_ bytes: [UInt8], against name: String, folder: String) -> String? {
        let path = folder + "/" + name
        let recording = ProcessInfo.processInfo.environment["SOPSITE_RECORD_GOLDEN"] == "1"
        if recording {
            let url = URL(fileURLWithPath: path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(bytes).write(to: url)
            return "recorded \(name); review the diff and run again without SOPSITE_RECORD_GOLDEN"
        }
        guard let expected = FileManager.default.contents(atPath: path) else {
            return "no golden file \(path); run with SOPSITE_RECORD_GOLDEN=1 to record it"
        }
        if Array(expected) == bytes { return nil }
        let expectedLines = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
            let got = index < actualLines.count ? String(actualLines[index]) : "<end>"
            if want != got { return "\(name) differs at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)" }
        }
        return "\(name) differs"
    }
}
