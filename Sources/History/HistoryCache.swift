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
        var text = text
        // On bytes: a cache of 10,000 commits is 70,000 lines, read on every build.
        let parsed: Parsed? = text.withUTF8 { Self.parse($0) }
        guard let parsed else { return nil }
        (changes, kinds, mergeBlobs) = (parsed.changes, parsed.kinds, parsed.mergeBlobs)
    }

    private struct Parsed {
        var changes: [ObjectID: [FileChange]] = [:]
        var kinds: [BlobPair: ChangeKind] = [:]
        var mergeBlobs: [MergeBlobKey: ObjectID?] = [:]
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var parsed = Parsed()
        var position = 0
        /// The next line's tab-separated fields (ranges into `bytes`); nil at the end.
        func nextLine() -> [Range<Int>]? {
            guard position < bytes.count else { return nil }
            var fields: [Range<Int>] = []
            var start = position
            while position < bytes.count, bytes[position] != 0x0A {
                if bytes[position] == 0x09 {
                    fields.append(start..<position)
                    start = position + 1
                }
                position += 1
            }
            fields.append(start..<position)
            position += 1
            return fields
        }
        func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
        func text(_ range: Range<Int>) -> Substring { Substring(String(decoding: slice(range), as: UTF8.self)) }
        func id(_ range: Range<Int>) -> ObjectID? { ObjectID(hexBytes: slice(range)) }
        /// An optional blob: `-` for none.
        func blob(_ range: Range<Int>) -> ObjectID?? {
            if range.count == 1, bytes[range.lowerBound] == 0x2D { return .some(nil) }
            return id(range).map { .some($0) }
        }
        func number(_ range: Range<Int>) -> Int? {
            guard !range.isEmpty, range.count < 10 else { return nil }
            var value = 0
            for index in range {
                guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        func tag(_ range: Range<Int>) -> UInt8? { range.count == 1 ? bytes[range.lowerBound] : nil }

        guard let first = nextLine(), first.count == 1, text(first[0]) == Substring(formatLine) else { return nil }
        while let fields = nextLine() {
            if fields.count == 1, fields[0].isEmpty { continue }
            switch tag(fields[0]) {
            case UInt8(ascii: "C"):
                guard fields.count == 3, let commit = id(fields[1]), let count = number(fields[2]) else { return nil }
                var list: [FileChange] = []
                list.reserveCapacity(count)
                for _ in 0..<count {
                    guard let entry = nextLine(), entry.count == 6, let similarity = number(entry[3]),
                          let old = blob(entry[4]), let new = blob(entry[5]) else { return nil }
                    let kind: FileChange.Kind
                    switch tag(entry[0]) {
                    case UInt8(ascii: "A"): kind = .added
                    case UInt8(ascii: "D"): kind = .deleted
                    case UInt8(ascii: "M"): kind = .modified
                    case UInt8(ascii: "R"): kind = .renamed(from: RepoPath(unescape(text(entry[2]))), similarity: similarity)
                    default: return nil
                    }
                    list.append(FileChange(path: RepoPath(unescape(text(entry[1]))), kind: kind, oldBlob: old, newBlob: new))
                }
                parsed.changes[commit] = list
            case UInt8(ascii: "K"):
                guard fields.count == 4, let old = id(fields[1]), let new = id(fields[2]),
                      let kind = ChangeKind(rawValue: String(text(fields[3]))) else { return nil }
                parsed.kinds[BlobPair(old: old, new: new)] = kind
            case UInt8(ascii: "B"):
                guard fields.count == 4, let commit = id(fields[1]), let blob = blob(fields[2]) else { return nil }
                parsed.mergeBlobs[MergeBlobKey(commit: commit, path: RepoPath(unescape(text(fields[3]))))] = .some(blob)
            default:
                return nil
            }
        }
        return parsed
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
