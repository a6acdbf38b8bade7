import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiScan

/// NDJSON ("tonchi.ndjson/1"): one JSON object per line, written as pages finish, so a pipeline
/// sees findings while a huge dump is still being read and nothing is kept in memory but the
/// fingerprints of menu/footer findings already reported.
///
/// Lines, each with a `type`:
/// - `start`: schema, tool, run kind, publication kind, inputs;
/// - `finding`: one finding with its page, evidence (hash, dates, digest check) and fingerprint;
/// - `occurrence`: a menu/footer finding already reported, seen again on another page;
/// - `unchecked`: an item not read or not checked completely;
/// - `summary`, last: counts, coverage, whether the run was complete.
public final class NDJSONStream {
    public static let schema = "tonchi.ndjson/1"
    private let write: (String) -> Void
    private let lock = NSLock()
    private var seenRepeated: Set<String> = []
    private(set) public var findings = 0
    private(set) public var occurrences = 0
    /// Severities of every finding written, for the exit code.
    private(set) public var severities: [Severity] = []

    public init(write: @escaping (String) -> Void) { self.write = write }

    struct Start: Encodable {
        let type = "start"
        let schema = NDJSONStream.schema
        let run: String
        let tool: ToolInfo
        let kind: PublicationKind
        let inputs: [String]
        let publication: String?
    }

    struct FindingLine: Encodable {
        let type = "finding"
        let fingerprint: String
        let site: String
        let page: String
        let placement: String
        let finding: Finding
        let evidence: PageEvidence?
    }

    struct Occurrence: Encodable {
        let type = "occurrence"
        let fingerprint: String
        let site: String
        let page: String
        let ruleID: String
        let evidence: PageEvidence?
    }

    struct Unchecked: Encodable {
        let type = "unchecked"
        let location: String
        let reason: String
        let detail: String
    }

    struct Summary: Encodable {
        let type = "summary"
        let findings: Int
        let occurrences: Int
        let complete: Bool
        let coverage: Coverage?
    }

    public func start(run: String, tool: ToolInfo, kind: PublicationKind, inputs: [String], publication: String?) {
        emit(Start(run: run, tool: tool, kind: kind, inputs: inputs, publication: publication))
    }

    /// A checked page (the scanner's `onPage`): each finding now; a menu/footer finding seen before becomes an occurrence.
    public func page(host: String, page: PageReport, evidence: PageEvidence?) {
        let name = page.url ?? page.location.description
        let pageKeys = Fingerprint.keys(page.findings, site: host, url: name)
        for (finding, pageKey) in zip(page.findings, pageKeys) {
            // A menu or footer finding is the site's, as in the folded report.
            let shared = !finding.spans.isEmpty && finding.spans.allSatisfy { ["menu", "footer"].contains($0.scope) }
            let fingerprint = Fingerprint.of(key: shared ? Fingerprint.key(finding: finding, site: host, url: nil) : pageKey).value
            lock.lock()
            let again = shared && !seenRepeated.insert(fingerprint).inserted
            lock.unlock()
            if again {
                occurrences += 1
                emit(Occurrence(fingerprint: fingerprint, site: host, page: name, ruleID: finding.ruleID, evidence: evidence))
            } else {
                record(finding)
                emit(FindingLine(fingerprint: fingerprint, site: host, page: name, placement: shared ? "repeated" : "page",
                                 finding: finding, evidence: evidence))
            }
        }
        for item in page.incomplete {
            emit(Unchecked(location: name, reason: "incomplete", detail: "rule \(item.ruleID): \(item.reason)"))
        }
    }

    /// After the scan: site-rule findings and what could not be read, then the summary.
    public func finish(scan report: ScanReport) {
        for site in report.sites {
            let home = site.facts.homePage ?? site.facts.host
            for (finding, key) in zip(site.siteFindings, Fingerprint.keys(site.siteFindings, site: site.facts.host, url: nil)) {
                record(finding)
                emit(FindingLine(fingerprint: Fingerprint.of(key: key).value,
                                 site: site.facts.host, page: home, placement: "site", finding: finding, evidence: nil))
            }
            for item in site.siteIncomplete {
                emit(Unchecked(location: site.facts.host, reason: "incomplete", detail: "rule \(item.ruleID): \(item.reason)"))
            }
        }
        for item in report.coverage.unchecked {
            emit(Unchecked(location: item.location.description, reason: item.reason.rawValue, detail: item.detail))
        }
        emit(Summary(findings: findings, occurrences: occurrences, complete: report.isComplete, coverage: report.coverage))
    }

    /// `tonchi check`: documents are small; each finding is written once its document is checked.
    public func write(check report: CheckReport) {
        start(run: "check", tool: report.tool, kind: report.kind, inputs: report.documents.map(\.name) + report.unreadable.map(\.name),
              publication: nil)
        for document in report.documents {
            let evidence = report.evidence?.first { $0.name == document.name }
            for (finding, key) in zip(document.findings, Fingerprint.keys(document.findings, site: document.name, url: document.name)) {
                record(finding)
                emit(FindingLine(fingerprint: Fingerprint.of(key: key).value,
                                 site: document.name, page: document.name, placement: "document", finding: finding, evidence: evidence))
            }
            for item in document.incomplete {
                emit(Unchecked(location: document.name, reason: "incomplete", detail: "rule \(item.ruleID): \(item.reason)"))
            }
        }
        for item in report.unreadable { emit(Unchecked(location: item.name, reason: "unreadable", detail: item.reason)) }
        emit(Summary(findings: findings, occurrences: 0, complete: report.isComplete, coverage: nil))
    }

    private func record(_ finding: Finding) {
        lock.lock(); findings += 1; severities.append(finding.severity); lock.unlock()
    }

    private func emit<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        // JSONEncoder never writes a raw newline inside a value, so one object is one line.
        lock.lock(); defer { lock.unlock() }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
