import Foundation
import TonchiCore
import TonchiEvaluate
import Yams

/// An allowlist file problem, located at its YAML node.
public struct AllowlistError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let field: String
    public let reason: String
    public var description: String { "\(file):\(line):\(column): allowlist field '\(field)': \(reason)" }
}

/// Reads a site's allowlist (YAML): a list of entries, or a mapping with `entries:`.
///
/// ```yaml
/// - rule: tts.interview                    # a rule id, or a prefix ending in '*'
///   url: https://binhminh.example.vn/phong-van/*   # glob; 're:REGEX' for a regular expression
///   reason: Bài phỏng vấn do Sở VHTTDL cho phép thực hiện
///   author: Nguyễn Văn A (Thanh tra Sở)
///   expires: 2026-12-31                    # last day it applies
/// ```
public enum AllowlistFile {
    static let fields: Set<String> = ["rule", "url", "reason", "author", "expires"]

    public static func load(path: String) throws -> Allowlist {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw AllowlistError(file: path, line: 1, column: 1, field: "-", reason: "cannot read the file as UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Allowlist {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return Allowlist(entries: []) }
            root = node
        } catch {
            throw AllowlistError(file: file, line: 1, column: 1, field: "-", reason: "not valid YAML: \(error)")
        }
        var list = root.sequence
        if list == nil, let mapping = root.mapping {
            for (key, _) in mapping where key.string != "entries" && key.string != "site" {
                throw AllowlistError(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1, field: key.string ?? "-",
                                     reason: "unknown field; expected 'site' and 'entries'")
            }
            list = mapping["entries"]?.sequence
        }
        guard let list else {
            throw AllowlistError(file: file, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1, field: "entries",
                                 reason: "expected a list of entries (rule, url, reason, author, expires)")
        }
        var entries: [Allowlist.Compiled] = []
        for (index, node) in list.enumerated() {
            let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
            func fail(_ field: String, _ reason: String, _ at: Node? = nil) -> AllowlistError {
                AllowlistError(file: file, line: at?.mark?.line ?? line, column: at?.mark?.column ?? column,
                               field: "entries[\(index)].\(field)", reason: reason)
            }
            guard let mapping = node.mapping else { throw fail("-", "expected a mapping (rule, url, reason, author, expires)") }
            for (key, _) in mapping where !fields.contains(key.string ?? "") {
                throw fail(key.string ?? "-", "unknown field; known: \(fields.sorted().joined(separator: ", "))", key)
            }
            func required(_ field: String) throws -> (String, Node) {
                guard let value = mapping[field] else { throw fail(field, "missing (required)") }
                guard let text = value.string?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                    throw fail(field, "expected a non-empty text", value)
                }
                return (text, value)
            }
            let (rule, _) = try required("rule")
            let (url, urlNode) = try required("url")
            let (reason, _) = try required("reason")
            let (author, _) = try required("author")
            let (expiresText, expiresNode) = try required("expires")
            guard let expires = Day(expiresText) else { throw fail("expires", "expected a date YYYY-MM-DD or D/M/YYYY, found '\(expiresText)'", expiresNode) }
            let pattern: URLPattern
            do { pattern = try URLPattern(url) } catch {
                throw fail("url", "invalid regular expression: \(error)", urlNode)
            }
            let entry = AllowlistEntry(rule: rule, url: url, reason: reason, author: author, expires: expires, origin: "\(file):\(line)")
            entries.append(.init(entry: entry, pattern: pattern))
        }
        return Allowlist(entries: entries)
    }
}
