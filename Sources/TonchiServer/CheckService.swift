import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiRules

/// A request the API refuses, with the field at fault. Findings are never errors.
public struct APIError: Error, Sendable, Codable, Equatable {
    public let status: Int
    public let code: String
    public let message: String
    public let field: String?

    public init(_ status: Int, _ code: String, _ message: String, field: String? = nil) {
        self.status = status; self.code = code; self.message = message; self.field = field
    }
}

/// One check, whatever endpoint asked for it.
public struct CheckInput: Sendable {
    public enum CharterRef: Sendable {
        case stored(String)
        /// The charter as JSON text (JSON is YAML, so the charter reader names the field at fault).
        case inline(String)
    }
    public var source: [UInt8]
    public var format: InputFormat
    public var kind: PublicationKind?
    public var charter: CharterRef?
    public var date: Day?
    public var url: String?
    public var failOn: Severity = .low
    public var strict = false

    public init(source: [UInt8], format: InputFormat, kind: PublicationKind? = nil, charter: CharterRef? = nil,
                date: Day? = nil, url: String? = nil, failOn: Severity = .low, strict: Bool = false) {
        self.source = source; self.format = format; self.kind = kind; self.charter = charter; self.date = date
        self.url = url; self.failOn = failOn; self.strict = strict
    }
}

public struct CheckOutcome: Sendable {
    public enum Verdict: String, Sendable, Codable {
        /// No finding at or above `failOn`.
        case clean
        /// Findings at or above `failOn` (exit code 1 on the command line).
        case findings
        /// Some rule could not be evaluated completely (exit code 3).
        case incomplete
    }
    public let verdict: Verdict
    public let kind: PublicationKind
    public let charterName: String?
    public let result: DocumentResult
}

/// The rule set, the topic classifier and the stored charters, loaded once at start and shared by
/// every request (all read-only).
public final class CheckService: Sendable {
    public let ruleSet: RuleSet
    public let classifier: TopicClassifier?
    public let charters: [String: Charter]
    let offCharter: [String: OffCharterCheck]
    public let knownRules: Set<String>
    public let defaultKind: PublicationKind?
    /// The tool version reported in responses.
    public let version: String

    /// Fails (with a message naming the file and field) on a stored charter that does not load.
    public init(ruleSet: RuleSet, chartersDirectory: String?, defaultKind: PublicationKind? = nil, version: String = "0.1.0") throws {
        self.ruleSet = ruleSet
        self.version = version
        classifier = TopicClassifier(ruleSet: ruleSet)
        self.defaultKind = defaultKind
        knownRules = DocumentCheck.knownRuleIDs(ruleSet)
        var charters: [String: Charter] = [:], checks: [String: OffCharterCheck] = [:]
        if let chartersDirectory {
            for (id, path) in try Charter.files(inFolder: chartersDirectory) {
                let charter = try Charter.load(path: path)
                charters[id] = charter
                if !charter.topics.isEmpty, let classifier {
                    do {
                        checks[id] = try OffCharterCheck(classifier: classifier, allowedTopics: charter.topics, catalog: ruleSet.catalog)
                    } catch {
                        throw APIError(500, "invalid-charter", "\(path): charter field 'topics': \(error)", field: "topics")
                    }
                }
            }
        }
        self.charters = charters
        offCharter = checks
    }

    /// Runs one check. Synchronous and CPU-bound: the server runs it on its worker threads.
    public func check(_ input: CheckInput, today: Day) throws(APIError) -> CheckOutcome {
        var charter: Charter?
        var topical: OffCharterCheck?
        switch input.charter {
        case nil: break
        case .stored(let id):
            guard let stored = charters[id] else {
                let known = charters.keys.sorted()
                throw APIError(400, "unknown-charter", "no stored charter '\(id)'; known: \(known.isEmpty ? "(none: start the server with --charters DIR)" : known.joined(separator: ", "))", field: "charter")
            }
            charter = stored
            topical = offCharter[id]
        case .inline(let text):
            do {
                charter = try Charter.parse(text, file: "charter")
            } catch let error as CharterError {
                throw APIError(400, "invalid-charter", "charter field '\(error.field)': \(error.reason)",
                               field: error.field == "-" ? "charter" : "charter.\(error.field)")
            } catch {
                throw APIError(400, "invalid-charter", "\(error)", field: "charter")
            }
            if let charter, !charter.topics.isEmpty {
                guard let classifier else { throw APIError(400, "invalid-charter", "the rules define no topic lexicons", field: "charter.topics") }
                do {
                    topical = try OffCharterCheck(classifier: classifier, allowedTopics: charter.topics, catalog: ruleSet.catalog)
                } catch {
                    throw APIError(400, "invalid-charter", "charter field 'topics': \(error)", field: "charter.topics")
                }
            }
        }
        guard let kind = input.kind ?? charter?.kind ?? defaultKind else {
            throw APIError(400, "missing-kind", "give 'kind' (\(PublicationKind.allCases.map(\.rawValue).joined(separator: ", "))) or a charter", field: "kind")
        }

        let suppressions = Suppressions.parse(input.source, format: input.format, knownRules: knownRules)
        if input.strict, let problem = suppressions.problems.first(where: { $0.kind == .unknownRule }) {
            throw APIError(400, "unknown-rule-in-suppression", "strict: \(problem.description)", field: "text")
        }

        let context = CheckContext(kind: kind, date: input.date, scanDate: today)
        let result = DocumentCheck(ruleSet: ruleSet, offCharter: topical)
            .draft(input.source, format: input.format, name: input.url ?? "request", url: input.url, context: context,
                   suppressions: suppressions, declaredCharset: "utf-8").result

        let verdict: CheckOutcome.Verdict = !result.incomplete.isEmpty ? .incomplete
            : result.findings.contains { $0.severity >= input.failOn } ? .findings : .clean
        return CheckOutcome(verdict: verdict, kind: kind, charterName: charter?.name, result: result)
    }
}
