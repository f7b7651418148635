import Git
import SOPCore

/// What the history pass learned that can never change, kept between builds (`--cache`): the files each commit changed
/// against its first parent, how each pair of blobs classifies, and the blob a merge's other parent has at a path.
/// Every fact is keyed by object ids, so a cache cannot go stale: commits added since are computed and added, and
/// a rewritten history simply has new ids (facts of commits no longer reachable are dropped when saved). Walking the
/// commits and replaying these facts is what a rebuild costs, instead of comparing trees and reading blobs again.
///
/// Text format (`serialised()`): a version line, then one line per fact; a file that does not parse is ignored whole.
public struct HistoryCache: Sendable {
    /// The first line of a cache file; a file from another format version is ignored.
    public static let formatLine = "sopsite-history-cache 1"

    var changes: [ObjectID: [FileChange]] = [:]
    var kinds: [BlobPair: ChangeKind] = [:]
    var mergeBlobs: [MergeBlobKey: ObjectID?] = [:]
    /// Facts read or added during this build: the ones worth saving.
    private var usedChanges: Set<ObjectID> = []
    private var usedKinds: Set<BlobPair> = []
    private var usedMergeBlobs: Set<MergeBlobKey> = []
    /// Facts that had to be computed in this build (0 on a rebuild with nothing new).
    public private(set) var computed = 0

    struct BlobPair: Hashable {
        let old: ObjectID
        let new: ObjectID
    }

    struct MergeBlobKey: Hashable {
        let commit: ObjectID
        let path: RepoPath
    }

    public init() {}

    /// Parses a saved cache; nil when the text is not a whole cache of this format (then the build starts afresh).
    public init?(serialised text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == Substring(Self.formatLine) else { return nil }
        while let line = lines.popFirst() {
            if line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch fields.first {
            case "C":
                guard fields.count == 3, let commit = ObjectID(hex: String(fields[1])), let count = Int(fields[2]), count >= 0 else { return nil }
                var list: [FileChange] = []
                for _ in 0..<count {
                    guard let entry = lines.popFirst(), let change = Self.change(entry) else { return nil }
                    list.append(change)
                }
                changes[commit] = list
            case "K":
                guard fields.count == 4, let old = ObjectID(hex: String(fields[1])), let new = ObjectID(hex: String(fields[2])),
                      let kind = ChangeKind(rawValue: String(fields[3])) else { return nil }
                kinds[BlobPair(old: old, new: new)] = kind
            case "B":
                guard fields.count == 4, let commit = ObjectID(hex: String(fields[1])) else { return nil }
                let blob: ObjectID?
                if fields[2] == "-" { blob = nil } else if let id = ObjectID(hex: String(fields[2])) { blob = id } else { return nil }
                mergeBlobs[MergeBlobKey(commit: commit, path: RepoPath(Self.unescape(fields[3])))] = .some(blob)
            default:
                return nil
            }
        }
    }

    /// The facts used by the last build, in a stable order (the same history gives the same bytes).
    public func serialised() -> String {
        var out = Self.formatLine + "\n"
        for commit in usedChanges.sorted() {
            guard let list = changes[commit] else { continue }
            out += "C\t\(commit.hex)\t\(list.count)\n"
            for change in list { out += Self.line(change) + "\n" }
        }
        for pair in usedKinds.sorted(by: { ($0.old, $0.new) < ($1.old, $1.new) }) {
            guard let kind = kinds[pair] else { continue }
            out += "K\t\(pair.old.hex)\t\(pair.new.hex)\t\(kind.rawValue)\n"
        }
        for key in usedMergeBlobs.sorted(by: { ($0.commit, $0.path.value) < ($1.commit, $1.path.value) }) {
            guard let blob = mergeBlobs[key] else { continue }
            out += "B\t\(key.commit.hex)\t\(blob?.hex ?? "-")\t\(Self.escape(key.path.value))\n"
        }
        return out
    }

    // MARK: lookups for the walk

    /// Notes that the walk used what `commit` changed against its first parent; `isComputed`: this build worked it
    /// out (the walk reads the known facts from `changes` and computes the others in parallel).
    mutating func record(_ list: [FileChange], of commit: ObjectID, isComputed: Bool) {
        usedChanges.insert(commit)
        if isComputed {
            computed += 1
            changes[commit] = list
        }
    }

    /// The kind of a blob pair when known (and then notes it as used).
    mutating func knownKind(_ pair: BlobPair) -> ChangeKind? {
        guard let known = kinds[pair] else { return nil }
        usedKinds.insert(pair)
        return known
    }

    /// Adds a kind this build classified.
    mutating func learn(_ kind: ChangeKind, for pair: BlobPair) {
        usedKinds.insert(pair)
        computed += 1
        kinds[pair] = kind
    }

    mutating func blobID(at path: RepoPath, in commit: ObjectID, repository: Repository) throws(GitError) -> ObjectID? {
        let key = MergeBlobKey(commit: commit, path: path)
        usedMergeBlobs.insert(key)
        if let known = mergeBlobs[key] { return known }
        let blob = try repository.blobID(at: path, in: commit)
        computed += 1
        mergeBlobs[key] = .some(blob)
        return blob
    }

    // MARK: text form

    private static func line(_ change: FileChange) -> String {
        let kind: String, from: String, similarity: Int
        switch change.kind {
        case .added: (kind, from, similarity) = ("A", "", 0)
        case .deleted: (kind, from, similarity) = ("D", "", 0)
        case .modified: (kind, from, similarity) = ("M", "", 0)
        case .renamed(let source, let score): (kind, from, similarity) = ("R", escape(source.value), score)
        }
        return [kind, escape(change.path.value), from, String(similarity), change.oldBlob?.hex ?? "-", change.newBlob?.hex ?? "-"]
            .joined(separator: "\t")
    }

    private static func change(_ line: Substring) -> FileChange? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 6, let similarity = Int(fields[3]) else { return nil }
        func blob(_ field: Substring) -> ObjectID?? {
            if field == "-" { return .some(nil) }
            return ObjectID(hex: String(field)).map { .some($0) }
        }
        guard let old = blob(fields[4]), let new = blob(fields[5]) else { return nil }
        let kind: FileChange.Kind
        switch fields[0] {
        case "A": kind = .added
        case "D": kind = .deleted
        case "M": kind = .modified
        case "R": kind = .renamed(from: RepoPath(unescape(fields[2])), similarity: similarity)
        default: return nil
        }
        return FileChange(path: RepoPath(unescape(fields[1])), kind: kind, oldBlob: old, newBlob: new)
    }

    /// Paths may hold any byte but NUL: `%`, tab, CR and LF are written as `%25`, `%09`, `%0D`, `%0A`.
    static func escape(_ path: String) -> String {
        guard path.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\t": out += "%09"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ field: Substring) -> String {
        guard field.contains("%") else { return String(field) }
        return String(field).replacingOccurrences(of: "%09", with: "\t").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%25", with: "%")
    }
}

import Foundation
