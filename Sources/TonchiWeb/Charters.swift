import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiRules

/// The charters an inspector can pick: those of `--charters DIR` (read-only, id "s-NAME") and those
/// created with the form (saved under the uploads folder, id "u-NAME"). Ids are looked up in the
/// list, never used as paths.
final class CharterLibrary: @unchecked Sendable {
    struct Entry {
        let id: String
        let path: String
        let charter: Charter
    }

    let shared: URL?
    let created: URL

    init(shared: URL?, created: URL) throws {
        self.shared = shared; self.created = created
        try FileManager.default.createDirectory(at: created, withIntermediateDirectories: true)
    }

    func all() -> [Entry] {
        var entries: [Entry] = []
        for (prefix, folder) in [("s-", shared), ("u-", created)] {
            guard let folder else { continue }
            for (name, path) in (try? Charter.files(inFolder: folder.path)) ?? [] {
                guard let charter = try? Charter.load(path: path) else { continue }
                entries.append(Entry(id: prefix + name, path: path, charter: charter))
            }
        }
        return entries
    }

    func find(_ id: String) -> Entry? { all().first { $0.id == id } }

    static func validSlug(_ s: String) -> Bool {
        (1...60).contains(s.count) && s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" } && !s.hasPrefix("-")
    }

    /// The form's fields as charter YAML: every value a JSON string (valid YAML), so no field can
    /// inject YAML structure.
    static func yaml(from f: [String: String]) -> String {
        func q(_ s: String) -> String {
            let data = try! JSONEncoder().encode(s)
            return String(decoding: data, as: UTF8.self)
        }
        func value(_ k: String) -> String? {
            let v = f[k]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return v.isEmpty ? nil : v
        }
        func list(_ k: String) -> [String] {
            (f[k] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        }
        var y = "# Tạo bằng biểu mẫu của tonchi serve\n"
        y += "name: \(q(value("name") ?? ""))\n"
        y += "kind: \(q(value("kind") ?? ""))\n"
        if let v = value("owner") { y += "owner: \(q(v))\n" }
        if value("licence_number") != nil || value("licence_date") != nil || value("licence_issuer") != nil {
            y += "licence:\n"
            if let v = value("licence_number") { y += "  number: \(q(v))\n" }
            if let v = value("licence_date") { y += "  date: \(q(v))\n" }
            if let v = value("licence_issuer") { y += "  issuer: \(q(v))\n" }
        }
        let domains = list("domains")
        if !domains.isEmpty { y += "domains: [\(domains.map(q).joined(separator: ", "))]\n" }
        y += "languages: [\"vi\"]\n"
        if let v = value("purpose") { y += "purpose: \(q(v))\n" }
        let topics = list("topics")
        if !topics.isEmpty { y += "topics: [\(topics.map(q).joined(separator: ", "))]\n" }
        if let v = value("responsible") { y += "responsible: \(q(v))\n" }
        if let v = value("authority") { y += "authority: \(q(v))\n" }
        return y
    }

    /// Validates the form: the charter parser's errors, plus the slug, the domains and the topic ids.
    /// Returns the problems (Vietnamese where they are the app's own) or nil when saved.
    func create(form f: [String: String], classifier: TopicClassifier?, catalog: LegalCatalog) -> [String] {
        var problems: [String] = []
        let slug = (f["slug"] ?? "").trimmingCharacters(in: .whitespaces)
        if !Self.validSlug(slug) { problems.append("Mã tệp: chỉ chữ thường không dấu, chữ số và dấu '-', tối đa 60 ký tự.") }
        if (f["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("Tên được cấp phép: bắt buộc.") }
        if PublicationKind(rawValue: f["kind"] ?? "") == nil { problems.append("Loại hình: hãy chọn một loại hình.") }
        for d in (f["domains"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            let ok = d.count <= 253 && d.contains(".") && d.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
            if !ok { problems.append("Tên miền không hợp lệ: \(d)") }
        }
        let yaml = Self.yaml(from: f)
        var charter: Charter?
        do { charter = try Charter.parse(yaml, file: "biểu mẫu") } catch { problems.append("\(error)") }
        if let charter, !charter.topics.isEmpty {
            if let classifier {
                do { _ = try OffCharterCheck(classifier: classifier, allowedTopics: charter.topics, catalog: catalog) } catch {
                    problems.append("Chủ đề: \(error)")
                }
            }
        }
        guard problems.isEmpty else { return problems }
        let path = created.appendingPathComponent(slug + ".yaml")
        if FileManager.default.fileExists(atPath: path.path) { return ["Đã có tôn chỉ với mã tệp '\(slug)'."] }
        do { try Data(yaml.utf8).write(to: path, options: .withoutOverwriting) } catch { return ["Không lưu được: \(error)"] }
        return []
    }
}
