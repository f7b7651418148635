import SOPCore
import Yams

/// The front matter of one file as typed values with the file line of each key, parsed with Yams.
/// Type errors are collected (`failures`), not thrown, so a file reports the first wrong field with its line.
struct FrontMatterFields {
    let path: RepoPath
    /// File line of the first YAML line (Yams counts lines from the YAML text's first line).
    let firstLine: Int
    private(set) var values: [String: Node] = [:]
    private(set) var lines: [String: Int] = [:]
    private(set) var failures: [Failure] = []

    var keys: [String] { Array(values.keys) }

    init(path: RepoPath, firstLine: Int) {
        self.path = path
        self.firstLine = firstLine
    }

    struct Failure: Error {
        let code: String
        let message: String
        let line: Int?
        let fix: String?
    }

    /// Parses the YAML text.
    /// - Throws: `Failure` for a YAML syntax error or front matter that is not a mapping.
    mutating func parse(_ yaml: String) throws(Failure) {
        if let alias = YAMLAliasScanner.firstAlias(in: yaml) {
            throw Failure(code: "front-matter.yaml-alias",
                          message: "the front matter uses the YAML alias \"*\(alias.name)\"; sopsite does not expand aliases, "
                              + "whose chains can grow exponentially",
                          line: alias.line + firstLine - 1,
                          fix: "write the value out in full; if the * is part of the text, put the value in quotes")
        }
        let node: Node?
        do {
            // The encoding given: Yams's default reads the whole process environment on every call (a third of
            // parsing front matter), and Swift strings are UTF-8.
            node = try Yams.compose(yaml: yaml, .default, .default, .utf8)
        } catch let error as YamlError {
            throw Self.failure(for: error, firstLine: firstLine, yaml: yaml)
        } catch {
            throw Failure(code: "front-matter.yaml", message: "the front matter is not valid YAML: \(error)", line: firstLine, fix: nil)
        }
        guard let node else { return }  // empty front matter
        // A document holding only a null value (`---` alone, `~`) is empty too. libyaml places that value at the end of
        // the text, a line past it when the text does not end with a line break (found by fuzzing).
        if let scalar = node.scalar, scalar.style == .plain, Self.nullSpellings.contains(scalar.string) { return }
        guard node.mapping != nil else {
            throw Failure(code: "front-matter.not-a-mapping", message: "the front matter must be a list of `key: value` lines",
                          line: fileLine(node.mark), fix: "write for example `title: How to process a refund`")
        }
        try read(node)
    }

    /// True when `key` holds a nested mapping.
    func isMapping(_ key: String) -> Bool { values[key]?.mapping != nil }

    /// The fields of a nested mapping (`review:` in sopsite.yml), nil when the key is absent; a non-mapping value is
    /// a type failure.
    mutating func nested(_ key: String) -> FrontMatterFields? {
        guard let node = values[key] else { return nil }
        guard node.mapping != nil else {
            record(key, expected: "a group of `key: value` lines", got: node)
            return nil
        }
        var fields = FrontMatterFields(path: path, firstLine: firstLine)
        do {
            try fields.read(node)
        } catch {
            failures.append(error)
        }
        return fields
    }

    private mutating func read(_ node: Node) throws(Failure) {
        guard let mapping = node.mapping else { return }
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else { continue }
            if let first = lines[key] {
                throw Failure(code: "front-matter.duplicate-key",
                              message: "\"\(key)\" appears twice (first on line \(first))", line: fileLine(keyNode.mark),
                              fix: "keep one of them")
            }
            values[key] = valueNode
            lines[key] = fileLine(keyNode.mark)
        }
    }

    private func fileLine(_ mark: Mark?) -> Int? {
        mark.map { $0.line + firstLine - 1 }
    }

    static func failure(for error: YamlError, firstLine: Int, yaml: String) -> Failure {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            // The line to fix. The scanner's context is the token it could not finish (a quote opened on line 3 and
            // never closed, a key without its colon), not the end of the text where the problem surfaced. The parser's
            // context is the enclosing mapping or list, so its problem mark is the better line, except for a flow
            // collection (`[a, b`) or a problem at the end of the text: then it is where the collection opened.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            var line = mark.line
            if let context, context.mark.line > 0 {
                if case .scanner = error { line = context.mark.line }
                if context.text.contains("flow") || mark.line > lines.count { line = context.mark.line }
            }
            // libyaml reports the end of the stream a line past the text when the text does not end with a line break
            // (found by fuzzing: `[[[ ` alone was reported on line 2 of a one-line file): the last line is meant.
            line = min(line, max(1, lines.count))
            var fix = "check the quotes, colons and indentation on this line"
            if lines.dropFirst(max(0, mark.line - 1)).first?.contains("\t") == true {
                fix = "YAML does not allow tabs for indentation; indent with spaces"
                line = mark.line
            }
            return Failure(code: "front-matter.yaml", message: "the front matter is not valid YAML: \(detail)",
                           line: line + firstLine - 1, fix: fix)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.sorted().first ?? ""
            let first = context.mark.line
            let second = Self.lineOfRepeat(of: key, after: first, column: context.mark.column, in: yaml) ?? first
            return Failure(code: "front-matter.duplicate-key", message: "\"\(key)\" appears twice (first on line \(first + firstLine - 1))",
                           line: second + firstLine - 1, fix: "keep one of them")
        default:
            return Failure(code: "front-matter.yaml", message: "the front matter is not valid YAML: \(error)", line: firstLine, fix: nil)
        }
    }

    /// The 1-based line after `line` on which `key` starts a `key:` entry again at the same 1-based column (Yams
    /// reports only where a duplicated key first appears); nil when it cannot be found (a flow mapping on one line).
    static func lineOfRepeat(of key: String, after line: Int, column: Int, in yaml: String) -> Int? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line < lines.count else { return nil }
        for index in line..<lines.count {
            let text = lines[index]
            guard text.count >= column, text.prefix(column - 1).allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = text.dropFirst(column - 1)
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).first == ":" { return index + 1 }
            }
        }
        return nil
    }

    /// YAML's null, as a plain scalar.
    static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// A text value (scalars of any type are read as written); a list or mapping is a type failure.
    mutating func string(_ key: String) -> String? {
        guard let node = values[key] else { return nil }
        if let scalar = node.scalar {
            if scalar.style == .plain, Self.nullSpellings.contains(scalar.string) { return nil }
            return scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        record(key, expected: "a single value", got: node)
        return nil
    }

    /// A calendar day written `yyyy-MM-dd`; anything else is a failure that says what is accepted.
    mutating func day(_ key: String) -> Day? {
        guard let text = string(key) else { return nil }
        if let day = Day(iso: text) { return day }
        failures.append(Failure(code: "front-matter.date", message: "\(key) \"\(text)\" is not a date",
                                line: lines[key], fix: "write the date as yyyy-MM-dd, e.g. 2026-03-01"))
        return nil
    }

    /// A whole number; anything else is a failure.
    mutating func integer(_ key: String) -> Int? {
        guard let text = string(key) else { return nil }
        if let number = Int(text) { return number }
        failures.append(Failure(code: "front-matter.type", message: "\(key) \"\(text)\" is not a whole number",
                                line: lines[key], fix: "write a number such as 3"))
        return nil
    }

    /// true/false (also yes/no, on/off, as YAML 1.1 writers expect).
    mutating func boolean(_ key: String) -> Bool? {
        guard let text = string(key)?.lowercased() else { return nil }
        switch text {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            failures.append(Failure(code: "front-matter.type", message: "\(key) \"\(text)\" is not true or false",
                                    line: lines[key], fix: "write true or false"))
            return nil
        }
    }

    /// A period (`6 months`); anything else is a failure that lists the accepted forms.
    mutating func interval(_ key: String) -> ReviewInterval? {
        guard let text = string(key) else { return nil }
        if let interval = ReviewInterval(parsing: text) { return interval }
        failures.append(Failure(code: "front-matter.review-interval", message: "\(key) \"\(text)\" is not a period",
                                line: lines[key], fix: ReviewInterval.acceptedForms))
        return nil
    }

    /// A list of text values; a single text value counts as a one-item list (comma-separated values are split).
    mutating func list(_ key: String) -> [String] {
        guard let node = values[key] else { return [] }
        if let sequence = node.sequence {
            var items: [String] = []
            for item in sequence {
                guard let text = item.scalar?.string else {
                    record(key, expected: "a list of single values", got: item)
                    return []
                }
                items.append(text.trimmingCharacters(in: .whitespaces))
            }
            return items.filter { !$0.isEmpty }
        }
        if let text = node.scalar?.string {
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        record(key, expected: "a list", got: node)
        return []
    }

    private mutating func record(_ key: String, expected: String, got node: Node) {
        let found = node.mapping != nil ? "a mapping" : node.sequence != nil ? "a list" : "a value"
        // Several wrong fields each get their own report; `failures` is read after every field has been asked for.
        // A field asked for twice is reported once.
        let message = "\(key) must be \(expected), not \(found)"
        guard !failures.contains(where: { $0.message == message && $0.line == lines[key] }) else { return }
        failures.append(Failure(code: "front-matter.type", message: message, line: lines[key], fix: nil))
    }
}

import Foundation
