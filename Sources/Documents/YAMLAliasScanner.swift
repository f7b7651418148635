/// Finds YAML aliases (`*name`) in a text before Yams composes it.
///
/// sopsite refuses aliases in front matter, `sopsite.yml` and the owners file: none of them needs one, and a chain of
/// anchors each repeating the one before ("billion laughs") grows exponentially. Yams composes an alias as a copy of its
/// anchor's node, and hashes mapping keys to find duplicates, so an aliased key would be expanded in full before any
/// check on the composed tree could run: the refusal has to happen on the text.
///
/// A scan, not a parser: it follows YAML's rule that an alias can only start a node (at the start of a line, after
/// `- `, `? `, `: `, or after `[`, `{`, `,` inside a flow collection), and skips quoted scalars, comments and block
/// scalars (`|`, `>`). Where it cannot tell a node start from the continuation of a plain scalar it reports an alias:
/// a false report asks the writer to quote a value, a missed alias could hang the build.
enum YAMLAliasScanner {
    /// The first alias: its name and 1-based line in `yaml` (lines separated by `\n`); nil when there is none.
    /// One pass over the text: O(characters).
    static func firstAlias(in yaml: String) -> (name: String, line: Int)? {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        let flowIndicators: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}")]
        enum Quote { case none, single, double }
        var quote = Quote.none
        var flowDepth = 0
        var blockScalarOwner: Int?             // content lines are those indented deeper than this column
        var plainScalarKeyColumn: Int?         // the previous line ended inside a plain scalar keyed at this column
        var atNodeStart = true

        for (lineIndex, line) in yaml.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line)
            let indent = bytes.prefix { $0 == space }.count
            let isBlank = bytes.allSatisfy { $0 == space || $0 == tab }
            if let owner = blockScalarOwner {
                if isBlank || indent > owner { continue }
                blockScalarOwner = nil
            }
            if quote == .none, flowDepth == 0 {
                // A deeper line after a plain scalar continues it (YAML's multi-line plain scalars); any other line
                // starts a node.
                atNodeStart = !(plainScalarKeyColumn.map { indent > $0 && !isBlank } ?? false)
            }
            plainScalarKeyColumn = nil
            var ownerColumn = indent
            var keyColumn = indent
            var inPlainScalar = !atNodeStart && quote == .none && flowDepth == 0
            var seenValueIndicator = false
            var index = 0
            scan: while index < bytes.count {
                let byte = bytes[index]
                let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
                let nextIsBlank = next == nil || next == space || next == tab
                switch quote {
                case .double:
                    if byte == UInt8(ascii: "\\") { index += 2; continue scan }
                    if byte == UInt8(ascii: "\"") { quote = .none }
                    index += 1
                    continue scan
                case .single:
                    if byte == UInt8(ascii: "'") {
                        if next == UInt8(ascii: "'") { index += 2; continue scan }
                        quote = .none
                    }
                    index += 1
                    continue scan
                case .none:
                    break
                }
                if byte == space || byte == tab { index += 1; continue scan }
                if byte == UInt8(ascii: "#"), index == 0 || bytes[index - 1] == space || bytes[index - 1] == tab { break scan }
                if atNodeStart {
                    let isFlow = flowDepth > 0
                    if byte == UInt8(ascii: "*") {
                        let name = bytes[(index + 1)...].prefix { $0 != space && $0 != tab && !flowIndicators.contains($0) }
                        return (String(decoding: name, as: UTF8.self), lineIndex + 1)
                    } else if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "!") {
                        // An anchor or a tag: the node itself follows.
                        while index < bytes.count, bytes[index] != space, bytes[index] != tab { index += 1 }
                        continue scan
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte == UInt8(ascii: "'") ? .single : .double
                        if !seenValueIndicator { ownerColumn = index; keyColumn = index }
                        atNodeStart = false
                    } else if !isFlow, byte == UInt8(ascii: "|") || byte == UInt8(ascii: ">") {
                        blockScalarOwner = ownerColumn
                        break scan
                    } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                        flowDepth += 1
                    } else if isFlow, byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                        flowDepth -= 1
                        atNodeStart = false
                    } else if isFlow, byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":") {
                        // Still at a node start: an empty entry or an empty key.
                    } else if nextIsBlank, byte == UInt8(ascii: "?") || (!isFlow && byte == UInt8(ascii: "-")) {
                        ownerColumn = index
                        keyColumn = index + 2
                    } else if nextIsBlank, byte == UInt8(ascii: ":") {
                        seenValueIndicator = true
                    } else {
                        if !seenValueIndicator { ownerColumn = index; keyColumn = index }
                        atNodeStart = false
                        inPlainScalar = !isFlow
                    }
                    index += 1
                    continue scan
                }
                // Inside or after a scalar: only a value indicator or a flow indicator starts another node.
                if byte == UInt8(ascii: ":"), nextIsBlank || flowDepth > 0 {
                    atNodeStart = true
                    inPlainScalar = false
                    seenValueIndicator = true
                } else if flowDepth > 0 {
                    switch byte {
                    case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"):
                        if byte != UInt8(ascii: ",") { flowDepth += 1 }
                        atNodeStart = true
                    case UInt8(ascii: "]"), UInt8(ascii: "}"):
                        flowDepth -= 1
                    default:
                        break
                    }
                }
                index += 1
            }
            if quote == .none, flowDepth == 0, blockScalarOwner == nil, !atNodeStart, inPlainScalar {
                plainScalarKeyColumn = keyColumn
            }
        }
        return nil
    }
}
