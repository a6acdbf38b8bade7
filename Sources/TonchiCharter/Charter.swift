import Foundation
import TonchiCore
import Yams

/// What a publication is licensed for (giấy phép): the charter a scan holds the site against.
public struct Charter: Sendable, Codable {
    public struct Licence: Sendable, Codable {
        public let number: String
        public let date: Day?
        public let issuer: String?
    }

    public let name: String
    public let kind: PublicationKind
    public let owner: String?
    public let licence: Licence?
    public let domains: [String]
    public let languages: [String]
    /// Tôn chỉ, mục đích as written in the licence.
    public let purpose: String?
    /// Topic ids the charter allows (see Rules/topics); empty means not stated.
    public let topics: [String]
    public let audience: String?
    /// Người chịu trách nhiệm nội dung / tổng biên tập.
    public let responsible: String?
    /// The inspecting authority named in reports (a setting: names of ministries change).
    public let authority: String?
}

/// A charter file problem, located at the YAML node that caused it.
public struct CharterError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let field: String
    public let reason: String
    public var description: String { "\(file):\(line):\(column): charter field '\(field)': \(reason)" }
}

extension Charter {
    static let knownFields: Set<String> = ["name", "kind", "owner", "licence", "domains", "languages", "purpose",
                                           "topics", "audience", "responsible", "authority"]

    public static func load(path: String) throws -> Charter {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CharterError(file: path, line: 1, column: 1, field: "-", reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CharterError(file: path, line: 1, column: 1, field: "-", reason: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// The charter files (`*.yaml`, `*.yml`) of a folder, as (id = file name without extension,
    /// path), sorted by name; an unreadable folder is a CharterError naming it.
    public static func files(inFolder folder: String) throws -> [(id: String, path: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw CharterError(file: folder, line: 1, column: 1, field: "-", reason: "not a readable folder of charters")
        }
        return names.sorted().compactMap { name in
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return nil }
            return ((name as NSString).deletingPathExtension, (folder as NSString).appendingPathComponent(name))
        }
    }

    /// Every problem names the field and its line: an inspector fixes a charter by hand.
    public static func parse(_ text: String, file: String) throws -> Charter {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw CharterError(file: file, line: 1, column: 1, field: "-", reason: "the file is empty")
            }
            root = node
        } catch let error as CharterError {
            throw error
        } catch let error as YamlError {
            let (line, column) = Self.position(of: error)
            throw CharterError(file: file, line: line, column: column, field: "-", reason: "not valid YAML: \(error)")
        }
        guard let mapping = root.mapping else {
            throw CharterError(file: file, line: root.line, column: root.column, field: "-", reason: "expected a mapping of fields (name: …, kind: …)")
        }
        let reader = FieldReader(file: file, mapping: mapping, parent: nil)
        try reader.rejectUnknown(Self.knownFields)
        let kindNode = try reader.required("kind")
        guard let kindText = kindNode.string, let kind = PublicationKind(rawValue: kindText) else {
            throw reader.error(kindNode, "kind", "unknown publication kind '\(kindNode.string ?? "")'; known: \(PublicationKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var licence: Licence?
        if let node = reader.optional("licence") {
            guard let licenceMapping = node.mapping else { throw reader.error(node, "licence", "expected number, date and issuer") }
            let sub = FieldReader(file: file, mapping: licenceMapping, parent: "licence")
            try sub.rejectUnknown(["number", "date", "issuer"])
            let number = try sub.string("number", required: true)!
            var date: Day?
            if let dateNode = sub.optional("date") {
                guard let text = dateNode.string, let day = Day(text) else {
                    throw sub.error(dateNode, "date", "expected a date YYYY-MM-DD or D/M/YYYY, found '\(dateNode.string ?? "")'")
                }
                date = day
            }
            licence = Licence(number: number, date: date, issuer: try sub.string("issuer"))
        }
        return Charter(
            name: try reader.string("name", required: true)!, kind: kind, owner: try reader.string("owner"),
            licence: licence, domains: try reader.list("domains").map { $0.lowercased() },
            languages: try reader.list("languages"), purpose: try reader.string("purpose"),
            topics: try reader.list("topics"), audience: try reader.string("audience"),
            responsible: try reader.string("responsible"), authority: try reader.string("authority"))
    }

    private static func position(of error: YamlError) -> (Int, Int) {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return (mark.line, mark.column)
        default:
            return (1, 1)
        }
    }
}

/// Reads the fields of one YAML mapping, turning every mismatch into a located CharterError.
private struct FieldReader {
    let file: String
    let mapping: Node.Mapping
    let parent: String?

    func name(_ field: String) -> String { parent.map { "\($0).\(field)" } ?? field }

    func error(_ node: Node, _ field: String, _ reason: String) -> CharterError {
        CharterError(file: file, line: node.line, column: node.column, field: name(field), reason: reason)
    }

    func optional(_ field: String) -> Node? {
        mapping.first { $0.key.string == field }?.value
    }

    func required(_ field: String) throws -> Node {
        guard let node = optional(field) else {
            let line = mapping.first?.key.line ?? 1
            throw CharterError(file: file, line: line, column: 1, field: name(field), reason: "missing (required)")
        }
        return node
    }

    func rejectUnknown(_ known: Set<String>) throws {
        for (key, _) in mapping where !known.contains(key.string ?? "") {
            throw error(key, key.string ?? "?", "unknown field; known: \(known.sorted().joined(separator: ", "))")
        }
    }

    func string(_ field: String, required isRequired: Bool = false) throws -> String? {
        guard let node = isRequired ? try required(field) : optional(field) else { return nil }
        guard node.scalar != nil, let text = node.string?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw error(node, field, "expected text")
        }
        return text
    }

    func list(_ field: String) throws -> [String] {
        guard let node = optional(field) else { return [] }
        if node.scalar != nil, let text = node.string { return [text] }
        guard let sequence = node.sequence else { throw error(node, field, "expected a list") }
        return try sequence.map { item in
            guard let text = item.string, item.scalar != nil else { throw error(item, field, "expected text items") }
            return text
        }
    }
}

private extension Node {
    var line: Int { mark.map { $0.line } ?? 1 }
    var column: Int { mark.map { $0.column } ?? 1 }
}
