import Foundation
import TonchiCore
import TonchiEvaluate

/// `POST /v2/check`: the subset of LanguageTool's API that editor plugins use, so a plugin made
/// for LanguageTool shows tonchi's findings. Offsets and lengths count UTF-16 code units (Java
/// chars), as LanguageTool's do.
public enum LanguageToolAPI {
    /// Form fields (`application/x-www-form-urlencoded`, or the query string).
    public static func formFields(_ body: [UInt8], query: String?) -> [String: String] {
        var fields: [String: String] = [:]
        for part in [query ?? "", String(decoding: body, as: UTF8.self)] {
            for pair in part.split(separator: "&", omittingEmptySubsequences: true) {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ s: Substring) -> String {
                    let plus = s.replacingOccurrences(of: "+", with: " ")
                    return plus.removingPercentEncoding ?? plus
                }
                let key = decode(kv[0])
                fields[key] = kv.count > 1 ? decode(kv[1]) : ""
            }
        }
        return fields
    }

    /// The text to check and the way back from its UTF-8 bytes to the UTF-16 offsets of what the
    /// client sent (for `data`, the concatenation of every text and markup part).
    public struct Document: Sendable {
        public let checked: [UInt8]
        /// (byte start in `checked`, byte end, UTF-16 start in the original, UTF-16 length in the
        /// original, is markup) per part.
        let parts: [(Int, Int, Int, Int, Bool)]
        let checkedUTF16: UTF16Offsets?

        /// The UTF-16 offset in the original of a byte of `checked`. At a boundary between parts, a
        /// start belongs to the text that begins there and an end to the text that ends there.
        public func utf16(_ byte: Int, positions: UTF16Offsets, isEnd: Bool = false) -> Int {
            let text = parts.first { !$0.4 && (isEnd ? ($0.0 < byte && byte <= $0.1) : ($0.0 <= byte && byte < $0.1)) }
            if let (start, _, origin, _, _) = text { return origin + positions[byte] - positions[start] }
            for (start, end, origin, length, markup) in parts where byte >= start && byte <= end {
                if markup { return byte == start && !isEnd ? origin : origin + length }
                return origin + positions[byte] - positions[start]
            }
            return parts.last.map { $0.2 + $0.3 } ?? 0
        }
    }

    public static func document(_ fields: [String: String]) throws(APIError) -> Document {
        if let text = fields["text"] {
            if fields["data"] != nil { throw APIError(400, "conflicting-fields", "give 'text' or 'data', not both", field: "data") }
            let bytes = Array(text.utf8)
            return Document(checked: bytes, parts: [(0, bytes.count, 0, UTF16Offsets.length(bytes[...]), false)], checkedUTF16: nil)
        }
        guard let data = fields["data"] else {
            throw APIError(400, "missing-field", "missing 'text' or 'data' parameter", field: "text")
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any],
              let annotation = json["annotation"] as? [[String: Any]] else {
            throw APIError(400, "malformed-json", "'data' must be JSON {\"annotation\": [{\"text\": …}, {\"markup\": …, \"interpretAs\": …}]}", field: "data")
        }
        var checked: [UInt8] = []
        var parts: [(Int, Int, Int, Int, Bool)] = []
        var origin = 0
        for (index, part) in annotation.enumerated() {
            if let text = part["text"] as? String {
                let bytes = Array(text.utf8)
                let length = UTF16Offsets.length(bytes[...])
                parts.append((checked.count, checked.count + bytes.count, origin, length, false))
                checked += bytes
                origin += length
            } else if let markup = part["markup"] as? String {
                let interpret = Array(((part["interpretAs"] as? String) ?? "").utf8)
                let length = UTF16Offsets.length(Array(markup.utf8)[...])
                parts.append((checked.count, checked.count + interpret.count, origin, length, true))
                checked += interpret
                origin += length
            } else {
                throw APIError(400, "malformed-json", "'data' annotation[\(index)] has neither 'text' nor 'markup'", field: "data")
            }
        }
        return Document(checked: checked, parts: parts, checkedUTF16: nil)
    }

    /// Languages this server checks: Vietnamese only ("auto" is taken as Vietnamese).
    public static func checkLanguage(_ code: String?) throws(APIError) {
        guard let code, !code.isEmpty else {
            throw APIError(400, "missing-field", "missing 'language' parameter (vi, vi-VN or auto)", field: "language")
        }
        let lower = code.lowercased()
        guard lower == "auto" || lower == "vi" || lower.hasPrefix("vi-") else {
            throw APIError(400, "unsupported-language", "language '\(code)' is not supported; tonchi checks Vietnamese (vi, vi-VN, auto)", field: "language")
        }
    }

    // MARK: - Response (LanguageTool's shape)

    public struct Response: Codable, Sendable {
        public struct Software: Codable, Sendable {
            public let name: String, version: String, buildDate: String, apiVersion: Int, premium: Bool, status: String
        }
        public struct Warnings: Codable, Sendable { public let incompleteResults: Bool }
        public struct DetectedLanguage: Codable, Sendable { public let name: String, code: String, confidence: Double }
        public struct Language: Codable, Sendable { public let name: String, code: String, detectedLanguage: DetectedLanguage }
        public let software: Software
        public let warnings: Warnings
        public let language: Language
        public let matches: [Match]
    }

    public struct Match: Codable, Sendable {
        public struct Context: Codable, Sendable { public let text: String, offset: Int, length: Int }
        public struct Category: Codable, Sendable { public let id: String, name: String }
        public struct Rule: Codable, Sendable {
            public let id: String, description: String, issueType: String, category: Category
        }
        public struct MatchType: Codable, Sendable { public let typeName: String }
        public struct Replacement: Codable, Sendable { public let value: String }
        public let message: String
        public let shortMessage: String
        public let replacements: [Replacement]
        public let offset: Int
        public let length: Int
        public let context: Context
        public let sentence: String
        public let type: MatchType
        public let rule: Rule
        public let ignoreForIncompleteSentence: Bool
        public let contextForSureMatch: Int
    }

    /// One match per evidence span (an editor underlines each); a finding without spans is put on
    /// the first line of the text.
    public static func response(_ outcome: CheckOutcome, document: Document, version: String) -> Response {
        let text = document.checked
        let findings = outcome.result.findings
        let positions = UTF16Offsets(text, positions: findings.flatMap { $0.spans.flatMap { [$0.start, $0.end] } } + document.parts.map(\.0))
        var matches: [Match] = []
        for finding in findings {
            var ranges = finding.spans.map { ($0.start, $0.end) }
            if ranges.isEmpty {
                let firstLine = text.firstIndex(of: 0x0A) ?? text.count
                ranges = [(0, firstLine)]
            }
            for (start, end) in ranges {
                let offset = document.utf16(start, positions: positions)
                let length = max(0, document.utf16(end, positions: positions, isEnd: true) - offset)
                let before = max(0, start - 120), after = min(text.count, end + 120)
                var prefix = String(decoding: text[before..<start], as: UTF8.self)
                prefix = String(prefix.suffix(40))
                let excerpt = String(decoding: text[start..<end], as: UTF8.self)
                let suffix = String(String(decoding: text[end..<after], as: UTF8.self).prefix(40))
                let context = (prefix + excerpt + suffix).replacingOccurrences(of: "\n", with: " ")
                let cites = finding.citations.map { $0.id + ($0.needsChecking ? " (cần đối chiếu văn bản gốc)" : "") }.joined(separator: "; ")
                matches.append(Match(
                    message: finding.message + (cites.isEmpty ? "" : " Căn cứ: \(cites)."),
                    shortMessage: finding.title, replacements: [], offset: offset, length: length,
                    context: .init(text: context, offset: prefix.utf16.count, length: excerpt.utf16.count),
                    sentence: excerpt, type: .init(typeName: "Other"),
                    rule: .init(id: finding.ruleID, description: finding.title, issueType: "legal",
                                category: .init(id: "TONCHI", name: "tonchi: pháp luật báo chí và tôn chỉ, mục đích")),
                    ignoreForIncompleteSentence: false, contextForSureMatch: 0))
            }
        }
        matches.sort { ($0.offset, $0.rule.id) < ($1.offset, $1.rule.id) }
        return Response(
            software: .init(name: "tonchi", version: version, buildDate: "", apiVersion: 1, premium: false, status: ""),
            warnings: .init(incompleteResults: !outcome.result.incomplete.isEmpty),
            language: .init(name: "Vietnamese", code: "vi-VN", detectedLanguage: .init(name: "Vietnamese", code: "vi-VN", confidence: 1)),
            matches: matches)
    }
}
