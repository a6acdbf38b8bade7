import Dispatch
import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiIngest
import TonchiRules

/// Drives a scan: reads dumps as a stream, checks pages on all cores with a bounded number in
/// flight (memory stays flat however large the dump), and gathers per-site facts and counts.
public final class Scanner {
    public struct Options: Sendable {
        public var kind: PublicationKind
        public var date: Day?
        public var scanDate: Day
        public var jobs: Int
        public var limits: DumpLimits
        public init(kind: PublicationKind, date: Day?, scanDate: Day, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                    limits: DumpLimits = .standard) {
            self.kind = kind; self.date = date; self.scanDate = scanDate; self.jobs = max(1, jobs); self.limits = limits
        }
    }

    /// Called (serialized) as items are processed, for a progress display.
    public var onProgress: ((Coverage) -> Void)?
    /// Called (serialized) for each page with findings, as soon as it is checked: for streaming outputs.
    public var onPage: ((_ host: String, _ page: PageReport, _ evidence: PageEvidence?) -> Void)?
    /// False for streaming outputs: checked pages are not kept for the final report (site rules still run).
    public var retainsPages = true
    /// Inspector-side allowlist (`scan --allowlist`): covered findings are listed apart, never dropped.
    public var allowlist: Allowlist?

    private let ruleSet: RuleSet
    private let options: Options
    private let lock = NSLock()
    private var coverage = Coverage()
    private var sites: [String: SiteState] = [:]
    /// The rules, and the charter's topics when `scan` is given an off-charter check.
    private var checker: DocumentCheck

    private final class SiteState {
        let facts: SiteFactsBuilder
        let accumulator: SiteAccumulator
        var pages: [PageReport] = []
        var offCharter = OffCharterTally()
        /// The latest capture date of the site's pages: site findings describe the site as captured.
        var latestCapture: Day?
        var evidence: [PageEvidence] = []
        init(host: String, ruleSet: RuleSet) {
            facts = SiteFactsBuilder(host: host)
            accumulator = SiteAccumulator(ruleSet: ruleSet)
        }
    }

    public init(ruleSet: RuleSet, options: Options) {
        self.ruleSet = ruleSet
        checker = DocumentCheck(ruleSet: ruleSet)
        self.options = options
    }

    /// Scans every dump; a dump that cannot be opened at all is recorded as unreadable and the
    /// scan goes on with the others.
    public func scan(_ paths: [String], tool: ToolInfo, charter: Charter?, offCharter: OffCharterCheck? = nil) -> ScanReport {
        checker = DocumentCheck(ruleSet: ruleSet, offCharter: offCharter)
        let queue = DispatchQueue(label: "tonchi.scan", attributes: .concurrent)
        let group = DispatchGroup()
        // Up to twice `jobs` pages are read ahead (memory stays bounded); `jobs` are checked at once.
        let slots = DispatchSemaphore(value: options.jobs * 2)
        let workers = DispatchSemaphore(value: options.jobs)
        for path in paths {
            do {
                try Dump.read(path: path, limits: options.limits) { event in
                    switch event {
                    case .skipped(let item):
                        record(item)
                    case .item(let item) where (item.httpStatus ?? 200) >= 400:
                        // An error page is the server's, not the publication's content.
                        record(SkippedItem(location: item.location, reason: .notAPage,
                                           detail: "HTTP \(item.httpStatus!) for \(item.url ?? "?")"))
                    case .item(let item):
                        slots.wait()
                        group.enter()
                        queue.async {
                            workers.wait()
                            self.check(item)
                            workers.signal()
                            slots.signal()
                            group.leave()
                        }
                    }
                }
            } catch {
                record(SkippedItem(location: ItemLocation(file: path, offset: nil, recordID: nil), reason: .unreadable, detail: "\(error)"))
            }
        }
        group.wait()
        return report(tool: tool, charter: charter, inputs: paths)
    }

    private func record(_ item: SkippedItem) {
        lock.lock(); defer { lock.unlock() }
        coverage.recordsRead += 1
        switch item.reason {
        case .notHTML: coverage.nonHTMLSkipped += 1
        case .notAPage: coverage.notPages += 1
        case .duplicate: coverage.duplicates += 1
        case .tooLarge: coverage.tooLarge.append(item)
        case .unsupported: coverage.unsupported.append(item)
        case .unreadable: coverage.unreadable.append(item)
        }
        onProgress?(coverage)
    }

    private func check(_ item: CapturedItem) {
        let format: InputFormat
        switch item.contentType {
        case "text/html", "application/xhtml+xml": format = .html
        case "text/plain": format = .plainText
        case "text/markdown": format = .markdown
        default: format = Ingest.detectFormat(name: item.url ?? item.location.file, bytes: item.body)
        }
        let extracted = Extractor.extract(item.body, format: format, url: item.url, declaredCharset: item.declaredCharset)
        let name = item.url ?? item.location.description
        var context = CheckContext(kind: options.kind, date: options.date, scanDate: options.scanDate)
        context.captureDate = item.captureDate.flatMap { Day(String($0.prefix(10))) }
        let (document, checked, topical) = checker.run(extracted, name: name, context: context)
        var result = checked
        // The page owner controls inline suppressions: a scan keeps the finding and says so.
        result = Suppressions.parse(item.body, format: format).ignore(in: result, textStart: Suppressions.textStart(of: extracted))
        if let allowlist {
            result = allowlist.apply(to: result, url: item.url ?? item.location.description, today: options.scanDate)
        }
        let host = URLParts.site(of: item.url)
        // The per-page work happens here, in parallel; under the lock only counts are merged.
        let page = SiteFactsBuilder.page(url: item.url, extracted: extracted)
        let verdicts = SiteAccumulator.verdicts(document, result: result, ruleSet: ruleSet, context: context)
        let evidence = result.findings.isEmpty ? nil : PageEvidence.make(item: item, extracted: extracted)

        lock.lock(); defer { lock.unlock() }
        coverage.recordsRead += 1
        coverage.pagesScanned += 1
        coverage.bytesScanned += item.body.count
        let site = sites[host] ?? SiteState(host: host, ruleSet: ruleSet)
        sites[host] = site
        site.facts.add(page)
        site.accumulator.add(verdicts, name: name)
        if let topical { site.offCharter.add(topical, page: name) }
        if let captured = context.captureDate { site.latestCapture = max(site.latestCapture ?? captured, captured) }
        if !result.findings.isEmpty || !result.incomplete.isEmpty || !result.notes.isEmpty || result.allowlisted != nil || result.expiredAllowlist != nil {
            var report = PageReport(url: item.url, location: item.location, captureDate: item.captureDate,
                                    payloadDigest: item.payloadDigest, findings: result.findings,
                                    incomplete: result.incomplete, notes: result.notes)
            report.allowlisted = result.allowlisted
            report.expiredAllowlist = result.expiredAllowlist
            if retainsPages {
                site.pages.append(report)
                if let evidence { site.evidence.append(evidence) }
            }
            onPage?(host, report, evidence)
        }
        onProgress?(coverage)
    }

    private func report(tool: ToolInfo, charter: Charter?, inputs: [String]) -> ScanReport {
        var reports: [SiteReport] = []
        for host in sites.keys.sorted() {
            let site = sites[host]!
            let context = CheckContext(kind: options.kind, date: options.date, captureDate: site.latestCapture, scanDate: options.scanDate)
            let facts = site.facts.facts()
            let home = site.facts.home.map { SiteDocument.make(home: $0) } ?? Extractor.extract([], format: .plainText)
            let siteDocument = PreparedDocument(name: facts.homePage ?? host, extracted: home, database: ruleSet.database)
            var siteResult = site.accumulator.finish(site: siteDocument, context: context)
            if let offCharter = checker.offCharter, let finding = site.offCharter.finding(offCharter, context: context) {
                siteResult = siteResult.adding([finding])
            }
            let (pages, folded) = RepeatedFindings.fold(site.pages.sorted { ($0.url ?? "", $0.location.description) < ($1.url ?? "", $1.location.description) })
            reports.append(SiteReport(facts: facts, pages: pages, siteFindings: siteResult.findings, repeatedFindings: folded,
                                      siteIncomplete: siteResult.incomplete,
                                      evidence: site.evidence.sorted { ($0.name, $0.location.description) < ($1.name, $1.location.description) }))
        }
        return ScanReport(tool: tool, charter: charter, kind: options.kind, inputs: inputs, sites: reports, coverage: coverage)
    }
}

/// The site scopes, taken from the home page so that evidence still points at real bytes.
enum SiteDocument {
    static func make(home: ExtractedDocument) -> ExtractedDocument {
        var scopes = home.scopes
        scopes[.home] = [0..<home.text.count]
        scopes[.siteName] = home.scopes[.title] ?? []
        scopes[.siteMenus] = home.scopes[.menu] ?? []
        // A home page's date is its newest story's, not when the site was seen as it is.
        var metadata = home.metadata
        metadata["published"] = nil
        return ExtractedDocument(source: home.source, text: home.text, map: home.map, scopes: scopes,
                                 structured: home.structured, metadata: metadata, notes: home.notes,
                                 encoding: home.encoding)
    }
}

/// A menu or footer repeats on every page of a site; a rule firing there is one finding at
/// site level with N pages, not N findings.
enum RepeatedFindings {
    static let sharedScopes: Set<String> = [Scope.menu.rawValue, Scope.footer.rawValue]

    static func fold(_ pages: [PageReport]) -> (pages: [PageReport], folded: [Finding]) {
        struct Key: Hashable { let rule: String; let texts: [String] }
        var groups: [Key: (finding: Finding, pages: [String])] = [:]
        var order: [Key] = []
        var keptPages: [PageReport] = []
        for page in pages {
            var kept: [Finding] = []
            for finding in page.findings {
                guard !finding.spans.isEmpty, finding.spans.allSatisfy({ sharedScopes.contains($0.scope) }) else {
                    kept.append(finding); continue
                }
                let key = Key(rule: finding.ruleID, texts: finding.spans.map { $0.excerpt.lowercased() })
                if groups[key] == nil { order.append(key); groups[key] = (finding, []) }
                groups[key]!.pages.append(page.url ?? page.location.description)
            }
            if !kept.isEmpty || !page.incomplete.isEmpty || !page.notes.isEmpty || page.allowlisted != nil || page.expiredAllowlist != nil {
                var report = PageReport(url: page.url, location: page.location, captureDate: page.captureDate,
                                        payloadDigest: page.payloadDigest, findings: kept,
                                        incomplete: page.incomplete, notes: page.notes)
                report.allowlisted = page.allowlisted
                report.expiredAllowlist = page.expiredAllowlist
                keptPages.append(report)
            }
        }
        let folded = order.map { key -> Finding in
            let (finding, pages) = groups[key]!
            return finding.onPages(pages)
        }
        return (keptPages, folded)
    }
}
