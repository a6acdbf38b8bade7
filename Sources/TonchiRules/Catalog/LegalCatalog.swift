import Foundation
import TonchiCore
import Yams

/// The citable provisions rules may name in `cites`. Loaded from `Rules/legal/*.yaml`.
public struct LegalCatalog: Sendable {
    public enum Confidence: String, Sendable, Codable {
        case verified, likely, unsure
        /// Records like "verified (number+behaviour); fine unsure" count as their weakest word:
        /// an inspector must be told whenever any part is not verified.
        init(describing text: String) {
            let lower = text.lowercased()
            if lower.contains("unsure") { self = .unsure }
            else if lower.contains("likely") { self = .likely }
            else if lower.hasPrefix("verified") { self = .verified }
            else { self = .unsure }
        }
    }

    /// A fine band in VND. Some provisions have several bands by gravity (`label` names the band).
    public struct Fine: Sendable, Codable, Equatable {
        public let label: String?
        public let min: Int
        public let max: Int
    }

    /// Article, clause and point as the catalog writes them ("8", "4", "e"); notes such as
    /// "not seen" are kept, since an inspector must see what is unknown.
    public struct Location: Sendable, Codable, Equatable {
        public let article: String?
        public let clause: String?
        public let point: String?

        /// "Điều 8 khoản 4 điểm e", nil when the catalog gives none of them.
        public var text: String? {
            let parts = [article.map { "Điều \($0)" }, clause.map { "khoản \($0)" }, point.map { "điểm \($0)" }].compactMap { $0 }
            return parts.isEmpty ? nil : parts.joined(separator: " ")
        }
    }

    public struct Provision: Sendable, Codable {
        public let id: String
        public let instrument: String
        public let behaviour: String
        public let validFrom: Day?
        public let validTo: Day?
        public let confidence: Confidence
        public let confidenceNote: String
        public let location: Location
        /// Organisation's and individual's fines; empty when the catalog does not know them.
        public let fineOrganisation: [Fine]
        public let fineIndividual: [Fine]
        public let fineNote: String?
        public let additional: [String]
        public let remedial: [String]
        public let legalBase: [String]
        /// For an obligation: the provisions that sanction its breach (ids, possibly with a note).
        public let sanctionedBy: [String]
        public let replacedBy: String?
        public let sources: [String]
    }

    public private(set) var provisions: [String: Provision] = [:]

    public init() {}

    public func provision(_ id: String) -> Provision? { provisions[id] }

    /// Reads one catalog file; returns the problems found (a record without id, a file that is not YAML).
    public mutating func load(yaml text: String, file: String) -> [String] {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            return ["\(file): not valid YAML: \(error)"]
        }
        guard let records = root as? [Any] else { return ["\(file): expected a list of provisions"] }
        var problems: [String] = []
        for (n, element) in records.enumerated() {
            guard let record = element as? [String: Any], let id = record["id"] as? String else {
                problems.append("\(file): record \(n + 1) has no id"); continue
            }
            let confidenceText = (record["confidence"].map { "\($0)" }) ?? "unsure"
            var fines: [[Fine]] = []
            for key in ["fine_org", "fine_ind"] {
                guard let parsed = Self.fines(in: record[key]) else {
                    problems.append("\(file): \(id): \(key) is neither null, [min, max] nor a map of such bands"); fines.append([]); continue
                }
                fines.append(parsed)
            }
            let location = record["location"] as? [String: Any] ?? [:]
            provisions[id] = Provision(
                id: id,
                instrument: record["instrument"] as? String ?? "",
                behaviour: (record["behaviour_vi"] ?? record["rule_vi"]) as? String ?? "",
                validFrom: Self.firstDay(in: record["valid_from"]),
                validTo: Self.firstDay(in: record["valid_to"]),
                confidence: Confidence(describing: confidenceText),
                confidenceNote: confidenceText,
                location: Location(article: Self.text(location["dieu"]), clause: Self.text(location["khoan"]),
                                   point: Self.text(location["diem"])),
                fineOrganisation: fines[0], fineIndividual: fines[1],
                fineNote: Self.text(record["fine_note"]),
                additional: Self.texts(record["additional"]), remedial: Self.texts(record["remedial"]),
                legalBase: Self.texts(record["legal_base"]), sanctionedBy: Self.texts(record["sanction"]),
                replacedBy: Self.text(record["replaced_by"]), sources: Self.texts(record["sources"] ?? record["source"]))
        }
        return problems
    }

    /// Ids named by `replaced_by` and `sanction` that are not in the catalog (a trailing note in
    /// brackets is ignored). A link that leads nowhere would send an inspector to a provision tonchi
    /// cannot describe.
    public func unresolvedReferences() -> [String] {
        provisions.values.sorted { $0.id < $1.id }.flatMap { p in
            ([p.replacedBy].compactMap { $0 } + p.sanctionedBy).compactMap { reference in
                let id = reference.split(separator: " ").first.map(String.init) ?? reference
                return provisions[id] == nil ? "\(p.id) → \(reference)" : nil
            }
        }
    }

    /// null → no band; [min, max] → one band; {label: [min, max], …} → one band per label (sorted).
    private static func fines(in value: Any?) -> [Fine]? {
        func band(_ label: String?, _ value: Any?) -> Fine? {
            guard let pair = value as? [Any], pair.count == 2, let low = pair[0] as? Int, let high = pair[1] as? Int,
                  low <= high else { return nil }
            return Fine(label: label, min: low, max: high)
        }
        guard let value, !(value is NSNull) else { return [] }
        switch value {
        case let map as [String: Any]:
            let bands = map.keys.sorted().map { band($0, map[$0]) }
            return bands.contains { $0 == nil } ? nil : bands.compactMap { $0 }
        default: return band(nil, value).map { [$0] }
        }
    }

    private static func text(_ value: Any?) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        return value as? String ?? "\(value)"
    }

    private static func texts(_ value: Any?) -> [String] {
        if let list = value as? [Any] { return list.compactMap(text) }
        return text(value).map { [$0] } ?? []
    }

    /// Dates arrive as YAML dates, plain strings, or strings with a note ("2022-01-28 (unsure)").
    private static func firstDay(in value: Any?) -> Day? {
        switch value {
        case let date as Date:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return Day(year: parts.year!, month: parts.month!, day: parts.day!)
        case let text as String:
            return text.split(separator: " ").first.flatMap { Day(String($0)) }
        default:
            return nil
        }
    }
}
