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

    public struct Provision: Sendable, Codable {
        public let id: String
        public let instrument: String
        public let behaviour: String
        public let validFrom: Day?
        public let validTo: Day?
        public let confidence: Confidence
        public let confidenceNote: String
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
            provisions[id] = Provision(
                id: id,
                instrument: record["instrument"] as? String ?? "",
                behaviour: (record["behaviour_vi"] ?? record["rule_vi"]) as? String ?? "",
                validFrom: Self.firstDay(in: record["valid_from"]),
                validTo: Self.firstDay(in: record["valid_to"]),
                confidence: Confidence(describing: confidenceText),
                confidenceNote: confidenceText)
        }
        return problems
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
