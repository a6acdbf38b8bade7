import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiRules
import TonchiIngest
import TonchiScan

/// The one report model every evidence-grade output (HTML/PDF, SARIF, the manifest) is built
/// from, whether the run was a `scan` or a `check`: findings numbered F1…, each with its
/// locations pointing at numbered evidence items E1…, and a summary per cited provision.
public struct EvidenceReport: Sendable, Codable {
    public static let schema = "tonchi.evidence/1"
    public let schema: String
    /// "scan" or "check".
    public let run: String
    public let tool: ToolInfo
    public let generatedAt: String
    /// The command line that reproduces the run.
    public let command: [String]
    public let authority: String?
    public let publication: Publication?
    public let kind: PublicationKind
    public let inputs: [InputFile]
    public let period: Period?
    public let provisions: [ProvisionSummary]
    public let findings: [ReportFinding]
    /// Findings the author suppressed in the text (pre-publication) or an allowlist covers: listed
    /// with the reason, never counted as violations.
    public let excluded: [ReportFinding]
    public let evidence: [EvidenceItem]
    public let unchecked: [UncheckedItem]
    public let coverage: Coverage?
    public let complete: Bool

    public struct Publication: Sendable, Codable {
        public let name: String?
        public let kind: PublicationKind
        public let owner: String?
        public let licence: Charter.Licence?
        public let domains: [String]
        public let responsible: String?
        public let purpose: String?
        /// What the site itself shows: per host, its name and its footer's licence line.
        public let sites: [SiteSeen]
    }

    public struct SiteSeen: Sendable, Codable {
        public let host: String
        public let name: String?
        public let licenceLine: String?
        public let pages: Int
    }

    public struct InputFile: Sendable, Codable, Equatable {
        public let path: String
        /// "file", "folder" (hash over its files' paths and hashes) or "stdin".
        public let type: String
        public let bytes: Int?
        public let sha256: String?
        public init(path: String, type: String, bytes: Int?, sha256: String?) {
            self.path = path; self.type = type; self.bytes = bytes; self.sha256 = sha256
        }
    }

    /// The days the evidence covers, from capture dates (WARC-Date) and publication dates.
    public struct Period: Sendable, Codable {
        public let capturedFrom: String?
        public let capturedTo: String?
        public let publishedFrom: String?
        public let publishedTo: String?
    }

    public struct ProvisionSummary: Sendable, Codable {
        public let id: String
        public let instrument: String
        public let behaviour: String
        public let location: String?
        public let confidence: String
        public let needsChecking: Bool
        public let fineOrganisation: [LegalCatalog.Fine]
        public let fineIndividual: [LegalCatalog.Fine]
        public let fineNote: String?
        public let additional: [String]
        public let remedial: [String]
        /// The findings citing it (F ids).
        public let findings: [String]
    }

    public struct ReportFinding: Sendable, Codable {
        public let id: String
        public let ruleID: String
        public let title: String
        public let message: String
        public let severity: Severity
        public let confidence: Double
        public let criterion: String
        public let site: String
        /// "page" (one page), "repeated" (a menu or footer on many pages), "site" (a site rule), "document" (check).
        public let placement: String
        public let spans: [Span]
        public let totalSpans: Int
        /// Every place it was seen; the spans are on the first.
        public let locations: [Location]
        public let citations: [CitedProvision]
        public let citationDate: Day
        public let citationDateSource: DateSource
        public let citationWarning: String?
        /// The finding's identity across scans, as the history store keys it (docs/history.md).
        public let fingerprint: String
        /// Why an excluded finding is set aside; nil for a finding that counts.
        public var exclusion: Exclusion?
    }

    /// SARIF's suppression kinds: `inSource` (a directive in the text), `external` (an allowlist).
    public struct Exclusion: Sendable, Codable {
        public let kind: String
        public let justification: String
    }

    public struct Location: Sendable, Codable {
        public let page: String
        /// The evidence item (E id) for that page, when its bytes were captured.
        public let evidence: String?
    }

    public struct EvidenceItem: Sendable, Codable {
        public let id: String
        public let page: PageEvidence
    }

    public struct UncheckedItem: Sendable, Codable {
        public let location: String
        public let reason: String
        public let detail: String
    }

    public var findingCount: Int { findings.count }
    public func evidenceItem(_ id: String?) -> EvidenceItem? { id.flatMap { id in evidence.first { $0.id == id } } }
}

/// How a report is made besides the scan itself.
public struct ReportContext: Sendable {
    public var command: [String]
    public var inputs: [EvidenceReport.InputFile]
    public var authority: String?
    public var catalog: LegalCatalog
    public var generatedAt: Date

    public init(command: [String], inputs: [EvidenceReport.InputFile], authority: String? = nil,
                catalog: LegalCatalog = LegalCatalog(), generatedAt: Date = Date()) {
        self.command = command; self.inputs = inputs; self.authority = authority
        self.catalog = catalog; self.generatedAt = generatedAt
    }
}

extension EvidenceReport {
    /// From a scan: per site, page findings, then repeated (menu/footer) findings, then site findings.
    public static func make(_ scan: ScanReport, context: ReportContext) -> EvidenceReport {
        var builder = Builder()
        for site in scan.sites {
            let host = site.facts.host
            for item in site.evidence { builder.addEvidence(item) }
            for page in site.pages {
                let name = page.url ?? page.location.description
                for finding in page.findings {
                    builder.add(finding, site: host, placement: "page", pages: [name])
                }
                for item in page.allowlisted ?? [] {
                    builder.exclude(item.finding, site: host, placement: "page", pages: [name],
                                    exclusion: Exclusion(kind: "external", justification: Self.allowlisted(item.entry)))
                }
            }
            for finding in site.repeatedFindings {
                builder.add(finding, site: host, placement: "repeated", pages: finding.pages)
            }
            for finding in site.siteFindings {
                let home = site.facts.homePage ?? host
                // A site rule's evidence is on the home page; the pages it counted are listed after.
                builder.add(finding, site: host, placement: "site", pages: [home] + finding.pages.filter { $0 != home })
            }
        }
        let c = scan.coverage
        let unchecked = c.unchecked.map { UncheckedItem(location: $0.location.description, reason: $0.reason.rawValue, detail: $0.detail) }
            + scan.sites.flatMap { site in
                site.pages.flatMap { page in page.incomplete.map {
                    UncheckedItem(location: page.url ?? page.location.description, reason: "incomplete", detail: "rule \($0.ruleID): \($0.reason)")
                } } + site.siteIncomplete.map { UncheckedItem(location: site.facts.host, reason: "incomplete", detail: "rule \($0.ruleID): \($0.reason)") }
            }
        let charter = scan.charter
        let publication = Publication(
            name: charter?.name ?? scan.sites.first?.facts.name, kind: scan.kind, owner: charter?.owner ?? scan.sites.first?.facts.owner,
            licence: charter?.licence, domains: charter?.domains ?? scan.sites.map(\.facts.host),
            responsible: charter?.responsible, purpose: charter?.purpose,
            sites: scan.sites.map { SiteSeen(host: $0.facts.host, name: $0.facts.name, licenceLine: $0.facts.licence?.text, pages: $0.facts.pages) })
        return builder.finish(run: "scan", tool: scan.tool, kind: scan.kind, publication: publication,
                              authority: context.authority ?? charter?.authority, unchecked: unchecked,
                              coverage: c, complete: scan.isComplete, context: context)
    }

    /// From `tonchi check`: each document is its own location and evidence item.
    public static func make(_ check: CheckReport, context: ReportContext) -> EvidenceReport {
        var builder = Builder()
        for item in check.evidence ?? [] { builder.addEvidence(item) }
        for document in check.documents {
            for finding in document.findings {
                builder.add(finding, site: document.name, placement: "document", pages: [document.name])
            }
            for item in document.suppressed ?? [] {
                builder.exclude(item.finding, site: document.name, placement: "document", pages: [document.name],
                                exclusion: Exclusion(kind: "inSource", justification: "\(item.reason) (tonchi-disable, line \(item.line))"))
            }
            for item in document.allowlisted ?? [] {
                builder.exclude(item.finding, site: document.name, placement: "document", pages: [document.name],
                                exclusion: Exclusion(kind: "external", justification: Self.allowlisted(item.entry)))
            }
        }
        let unchecked = check.unreadable.map { UncheckedItem(location: $0.name, reason: "unreadable", detail: $0.reason) }
            + check.documents.flatMap { d in d.incomplete.map { UncheckedItem(location: d.name, reason: "incomplete", detail: "rule \($0.ruleID): \($0.reason)") } }
        return builder.finish(run: "check", tool: check.tool, kind: check.kind, publication: nil, authority: context.authority,
                              unchecked: unchecked, coverage: nil, complete: check.isComplete, context: context)
    }

    static func allowlisted(_ entry: AllowlistEntry) -> String {
        "\(entry.reason) (allowlist \(entry.origin), \(entry.author), until \(entry.expires))"
    }

    struct Builder {
        var findings: [ReportFinding] = []
        var excluded: [ReportFinding] = []
        /// Findings of one key so far, to number identical ones as the history store does.
        var occurrences: [String: Int] = [:]
        var evidence: [EvidenceItem] = []
        var evidenceByPage: [String: String] = [:]

        mutating func addEvidence(_ page: PageEvidence) {
            guard evidenceByPage[page.name] == nil else { return }
            let id = "E\(evidence.count + 1)"
            evidence.append(EvidenceItem(id: id, page: page))
            evidenceByPage[page.name] = id
        }

        /// A suppressed or allowlisted finding, listed apart with its reason.
        mutating func exclude(_ finding: Finding, site: String, placement: String, pages: [String], exclusion: Exclusion) {
            add(finding, site: site, placement: placement, pages: pages)
            var last = findings.removeLast()
            last.exclusion = exclusion
            excluded.append(last)
        }

        mutating func add(_ finding: Finding, site: String, placement: String, pages: [String]) {
            let locations = pages.map { Location(page: $0, evidence: evidenceByPage[$0]) }
            // A page's (or a document's) findings are keyed on it; repeated and site findings on the site.
            let url = placement == "page" || placement == "document" ? pages.first : nil
            var key = Fingerprint.key(finding: finding, site: site, url: url)
            key = Fingerprint.Key(ruleID: key.ruleID, site: key.site, url: key.url, scope: key.scope, text: key.text,
                                  occurrence: occurrences[key.identity, default: 0])
            occurrences[key.identity, default: 0] += 1
            findings.append(ReportFinding(
                id: "F\(findings.count + 1)", ruleID: finding.ruleID, title: finding.title, message: finding.message,
                severity: finding.severity, confidence: finding.confidence, criterion: finding.criterion, site: site,
                placement: placement, spans: finding.spans, totalSpans: finding.totalSpans, locations: locations,
                citations: finding.citations, citationDate: finding.citationDate, citationDateSource: finding.citationDateSource,
                citationWarning: finding.citationWarning,
                fingerprint: Fingerprint.of(key: key).value))
        }

        func finish(run: String, tool: ToolInfo, kind: PublicationKind, publication: Publication?, authority: String?,
                    unchecked: [UncheckedItem], coverage: Coverage?, complete: Bool, context: ReportContext) -> EvidenceReport {
            // Provisions in order of first citation, each with the findings citing it.
            var order: [String] = []
            var cited: [String: (CitedProvision, [String])] = [:]
            for finding in findings {
                for citation in finding.citations {
                    if cited[citation.id] == nil { order.append(citation.id); cited[citation.id] = (citation, []) }
                    cited[citation.id]!.1.append(finding.id)
                }
            }
            let provisions = order.map { id -> ProvisionSummary in
                let (citation, ids) = cited[id]!
                let s = context.catalog.provision(id)
                return ProvisionSummary(id: id, instrument: citation.instrument, behaviour: citation.behaviour, location: s?.location.text,
                                        confidence: citation.confidence, needsChecking: citation.needsChecking,
                                        fineOrganisation: s?.fineOrganisation ?? [], fineIndividual: s?.fineIndividual ?? [],
                                        fineNote: s?.fineNote, additional: s?.additional ?? [], remedial: s?.remedial ?? [], findings: ids)
            }
            let referenced = Set(findings.flatMap { $0.locations.compactMap(\.evidence) })
            let used = evidence.filter { referenced.contains($0.id) }
            // Renumber evidence in the order findings refer to it, so E1 is the first item of the record.
            var renumber: [String: String] = [:]
            var items: [EvidenceItem] = []
            for finding in findings {
                for location in finding.locations {
                    guard let old = location.evidence, renumber[old] == nil, let item = used.first(where: { $0.id == old }) else { continue }
                    let id = "E\(items.count + 1)"
                    renumber[old] = id
                    items.append(EvidenceItem(id: id, page: item.page))
                }
            }
            let renumbered = findings.map { f in
                ReportFinding(id: f.id, ruleID: f.ruleID, title: f.title, message: f.message, severity: f.severity,
                              confidence: f.confidence, criterion: f.criterion, site: f.site, placement: f.placement,
                              spans: f.spans, totalSpans: f.totalSpans,
                              locations: f.locations.map { Location(page: $0.page, evidence: $0.evidence.flatMap { renumber[$0] }) },
                              citations: f.citations, citationDate: f.citationDate, citationDateSource: f.citationDateSource,
                              citationWarning: f.citationWarning, fingerprint: f.fingerprint)
            }
            let captured = items.compactMap { $0.page.captureDate }.sorted()
            let published = items.compactMap { $0.page.published }.sorted()
            let period = captured.isEmpty && published.isEmpty ? nil
                : Period(capturedFrom: captured.first, capturedTo: captured.last, publishedFrom: published.first, publishedTo: published.last)
            return EvidenceReport(
                schema: EvidenceReport.schema, run: run, tool: tool, generatedAt: Timestamp.iso(context.generatedAt),
                command: context.command, authority: authority, publication: publication, kind: kind, inputs: context.inputs,
                period: period, provisions: provisions, findings: renumbered,
                excluded: excluded.enumerated().map { n, f in
                    ReportFinding(id: "X\(n + 1)", ruleID: f.ruleID, title: f.title, message: f.message, severity: f.severity,
                                      confidence: f.confidence, criterion: f.criterion, site: f.site, placement: f.placement,
                                      spans: f.spans, totalSpans: f.totalSpans,
                                      locations: f.locations.map { Location(page: $0.page, evidence: $0.evidence.flatMap { renumber[$0] }) },
                                      citations: f.citations, citationDate: f.citationDate, citationDateSource: f.citationDateSource,
                                      citationWarning: f.citationWarning, fingerprint: f.fingerprint, exclusion: f.exclusion)
                },
                evidence: items, unchecked: unchecked,
                coverage: coverage, complete: complete)
        }
    }
}

public enum Timestamp {
    public static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
