import Foundation
import Yams

/// What the legal catalog says about sanctions for each provision: fine bands for an organisation
/// and an individual, additional sanctions, remedial measures. Read from the same `*.yaml` files
/// the rules cite (`Rules/legal/catalog.yaml`); a field the catalog does not have stays empty:
/// reports show what exists and never fill a gap.
public struct CatalogDetails: Sendable {
    public struct Fine: Sendable, Codable, Equatable {
        /// The band's name when the catalog gives several ("nghiem_trong"); nil for a single band.
        public let label: String?
        public let min: Int?
        public let max: Int?
        /// The catalog's words when it gives text instead of amounts ("½ of fine_org (derived)").
        public let text: String?

        public init(label: String?, min: Int?, max: Int?, text: String?) {
            self.label = label; self.min = min; self.max = max; self.text = text
        }
    }

    public struct Sanctions: Sendable, Codable {
        public var fineOrganisation: [Fine] = []
        public var fineIndividual: [Fine] = []
        public var fineNote: String?
        public var additional: [String] = []
        public var remedial: [String] = []
        /// Article/clause/point as the catalog locates it ("Điều 8 khoản 1").
        public var location: String?
        public var quote: String?
        public var sources: [String] = []
    }

    public private(set) var provisions: [String: Sanctions] = [:]

    public init() {}

    public subscript(id: String) -> Sanctions? { provisions[id] }

    /// Every `*.yaml` under a rules directory, as the rule loader reads them.
    public static func load(directory: URL) -> CatalogDetails {
        var details = CatalogDetails()
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
            .sorted { $0.path < $1.path } ?? []
        for file in files {
            if let text = try? String(contentsOf: file, encoding: .utf8) { details.load(yaml: text) }
        }
        return details
    }

    public mutating func load(yaml text: String) {
        guard let records = (try? Yams.load(yaml: text)) as? [Any] else { return }
        for element in records {
            guard let record = element as? [String: Any], let id = record["id"] as? String else { continue }
            var s = Sanctions()
            s.fineOrganisation = Self.fines(record["fine_org"])
            s.fineIndividual = Self.fines(record["fine_ind"])
            s.fineNote = Self.text(record["fine_note"])
            s.additional = Self.strings(record["additional"])
            s.remedial = Self.strings(record["remedial"])
            s.quote = Self.text(record["quote"])
            s.sources = Self.strings(record["sources"])
            if let location = record["location"] as? [String: Any] {
                var parts: [String] = []
                if let v = Self.text(location["dieu"]) { parts.append("Điều \(v)") }
                if let v = Self.text(location["khoan"]) { parts.append("khoản \(v)") }
                if let v = Self.text(location["diem"]) { parts.append("điểm \(v)") }
                s.location = parts.isEmpty ? nil : parts.joined(separator: " ")
            }
            provisions[id] = s
        }
    }

    static func text(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let s as String: return s.isEmpty ? nil : s
        case let n as Int: return String(n)
        case let d as Double: return String(d)
        case let b as Bool: return String(b)
        default: return "\(value!)"
        }
    }

    static func strings(_ value: Any?) -> [String] {
        if let list = value as? [Any] { return list.compactMap { text($0) } }
        return text(value).map { [$0] } ?? []
    }

    static func amount(_ value: Any?) -> Int? {
        if let n = value as? Int { return n }
        if let d = value as? Double { return Int(d) }
        if let s = value as? String { return Int(s.filter(\.isNumber)) }
        return nil
    }

    /// `[min, max]`, `{band: [min, max], …}`, a number, or text.
    static func fines(_ value: Any?) -> [Fine] {
        switch value {
        case nil, is NSNull: return []
        case let list as [Any] where list.count == 2 && list.allSatisfy({ amount($0) != nil && !($0 is String) }):
            return [Fine(label: nil, min: amount(list[0]), max: amount(list[1]), text: nil)]
        case let map as [String: Any]:
            return map.keys.sorted { (amount((map[$0] as? [Any])?.first) ?? 0, $0) < (amount((map[$1] as? [Any])?.first) ?? 0, $1) }
                .flatMap { key -> [Fine] in
                    fines(map[key]).map { Fine(label: key, min: $0.min, max: $0.max, text: $0.text) }
                }
        case let n as Int:
            return [Fine(label: nil, min: n, max: n, text: nil)]
        default:
            return text(value).map { [Fine(label: nil, min: nil, max: nil, text: $0)] } ?? []
        }
    }
}
