import Foundation
import TonchiCore
import TonchiEvaluate

/// `POST /v1/check`: JSON in, JSON out (docs/openapi.yaml).
public enum V1API {
    static let fields: Set<String> = ["text", "html", "format", "kind", "charter", "date", "url", "failOn", "strict"]

    /// Reads the request body; every refusal names the field at fault.
    public static func parse(_ body: [UInt8]) throws(APIError) -> CheckInput {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            throw APIError(400, "malformed-json", "the body is not valid JSON: \(Self.reason(error))")
        }
        guard let json = object as? [String: Any] else {
            throw APIError(400, "malformed-json", "the body must be a JSON object with 'text' or 'html'")
        }
        if let unknown = json.keys.filter({ !fields.contains($0) }).sorted().first {
            throw APIError(400, "unknown-field", "unknown field '\(unknown)'; known: \(fields.sorted().joined(separator: ", "))", field: unknown)
        }
        func string(_ key: String) throws(APIError) -> String? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw APIError(400, "invalid-field", "'\(key)' must be a string", field: key) }
            return text
        }
        let text = try string("text"), html = try string("html")
        let source: String
        var format: InputFormat
        switch (text, html) {
        case (nil, nil): throw APIError(400, "missing-field", "give the draft in 'text' (plain text or Markdown) or 'html'", field: "text")
        case (.some, .some): throw APIError(400, "conflicting-fields", "give 'text' or 'html', not both", field: "html")
        case (let t?, nil): source = t; format = .plainText
        case (nil, let h?): source = h; format = .html
        }
        if let name = try string("format") {
            guard let given = InputFormat(rawValue: name) else {
                throw APIError(400, "invalid-field", "unknown format '\(name)'; known: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))", field: "format")
            }
            if html != nil && given != .html { throw APIError(400, "conflicting-fields", "'html' is always HTML; use 'text' for format '\(name)'", field: "format") }
            format = given
        }
        var input = CheckInput(source: Array(source.utf8), format: format)
        if let kind = try string("kind") {
            guard let known = PublicationKind(rawValue: kind) else {
                throw APIError(400, "unknown-kind", "unknown publication kind '\(kind)'; known: \(PublicationKind.allCases.map(\.rawValue).joined(separator: ", "))", field: "kind")
            }
            input.kind = known
        }
        if let charter = json["charter"], !(charter is NSNull) {
            if let id = charter as? String {
                input.charter = .stored(id)
            } else if charter is [String: Any] {
                let data = (try? JSONSerialization.data(withJSONObject: charter, options: [.sortedKeys])) ?? Data("{}".utf8)
                input.charter = .inline(String(decoding: data, as: UTF8.self))
            } else {
                throw APIError(400, "invalid-field", "'charter' must be the id of a stored charter or a charter object (docs/charter.md)", field: "charter")
            }
        }
        if let date = try string("date") {
            guard let day = Day(date) else { throw APIError(400, "invalid-field", "expected a date YYYY-MM-DD or D/M/YYYY, found '\(date)'", field: "date") }
            input.date = day
        }
        input.url = try string("url")
        if let failOn = try string("failOn") {
            guard let severity = Severity(rawValue: failOn) else {
                throw APIError(400, "invalid-field", "unknown severity '\(failOn)'; known: \(Severity.allCases.map(\.rawValue).joined(separator: ", "))", field: "failOn")
            }
            input.failOn = severity
        }
        if let strict = json["strict"], !(strict is NSNull) {
            guard isBool(strict), let flag = strict as? Bool else { throw APIError(400, "invalid-field", "'strict' must be true or false", field: "strict") }
            input.strict = flag
        }
        return input
    }

    /// JSONSerialization may give NSNumber for numbers and booleans alike; only booleans are accepted.
    static func isBool(_ value: Any) -> Bool {
        if value is Bool && !(value is NSNumber) { return true }
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" || String(cString: number.objCType) == "B"
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    // MARK: - Response

    public struct Response: Codable, Sendable {
        public let schema: String
        public let verdict: CheckOutcome.Verdict
        public let kind: PublicationKind
        public let charter: String?
        public let failOn: Severity
        public let findings: [FindingOut]
        public let suppressed: [SuppressedOut]
        public let suppressionProblems: [SuppressionProblem]
        public let incomplete: [Incomplete]
        public let notes: [String]
        public let tool: Tool
    }

    public struct Tool: Codable, Sendable {
        public let name: String
        public let version: String
        public let rulesHash: String
    }

    public struct SpanOut: Codable, Sendable {
        /// Byte offsets into the text the client sent, as UTF-8.
        public let start: Int
        public let end: Int
        /// The same positions in UTF-16 code units (what editors count).
        public let utf16Start: Int
        public let utf16End: Int
        public let line: Int
        public let column: Int
        public let excerpt: String
        public let scope: String
        public let diacriticFree: Bool
    }

    public struct FindingOut: Codable, Sendable {
        public let rule: String
        public let title: String
        public let message: String
        public let severity: Severity
        public let confidence: Double
        public let criterion: String
        public let citations: [CitedProvision]
        /// Provisions the catalog marks likely/unsure: "cần đối chiếu văn bản gốc".
        public let citationNote: String?
        public let citationDate: Day
        public let citationDateSource: DateSource
        public let citationWarning: String?
        public let spans: [SpanOut]
        public let totalSpans: Int
    }

    public struct SuppressedOut: Codable, Sendable {
        public let finding: FindingOut
        public let reason: String
        public let line: Int
    }

    public static func response(_ outcome: CheckOutcome, source: [UInt8], failOn: Severity, service: CheckService) -> Response {
        let result = outcome.result
        let all = result.findings + (result.suppressed ?? []).map(\.finding)
        let offsets = UTF16Offsets(source, positions: all.flatMap { $0.spans.flatMap { [$0.start, $0.end] } })
        func out(_ f: Finding) -> FindingOut {
            FindingOut(rule: f.ruleID, title: f.title, message: f.message, severity: f.severity, confidence: f.confidence,
                       criterion: f.criterion, citations: f.citations,
                       citationNote: f.citations.contains(where: \.needsChecking) ? "cần đối chiếu văn bản gốc" : nil,
                       citationDate: f.citationDate, citationDateSource: f.citationDateSource, citationWarning: f.citationWarning,
                       spans: f.spans.map { s in
                           SpanOut(start: s.start, end: s.end, utf16Start: offsets[s.start], utf16End: offsets[s.end], line: s.line,
                                   column: s.column, excerpt: s.excerpt, scope: s.scope, diacriticFree: s.diacriticFree)
                       }, totalSpans: f.totalSpans)
        }
        return Response(schema: "tonchi.api.check/1", verdict: outcome.verdict, kind: outcome.kind, charter: outcome.charterName,
                        failOn: failOn, findings: result.findings.map(out),
                        suppressed: (result.suppressed ?? []).map { SuppressedOut(finding: out($0.finding), reason: $0.reason, line: $0.line) },
                        suppressionProblems: result.suppressionProblems ?? [], incomplete: result.incomplete, notes: result.notes,
                        tool: Tool(name: "tonchi", version: service.version, rulesHash: service.ruleSet.sourceHash))
    }
}
