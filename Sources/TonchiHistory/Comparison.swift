import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiScan

/// One side of a comparison: a scan result file or a stored scan.
public struct ScanSide: Codable, Sendable {
    /// The file path, or "store scan N".
    public let label: String
    public let scanID: ScanID?
    public let scannedAt: String?
    /// Site keys the scan covered (with or without findings).
    public let sites: [String]
    public let findings: Int
    public let toolVersion: String?
    public let rulesHash: String?

    public init(label: String, scanID: ScanID? = nil, scannedAt: String? = nil, sites: [String], findings: Int,
                toolVersion: String? = nil, rulesHash: String? = nil) {
        self.label = label; self.scanID = scanID; self.scannedAt = scannedAt; self.sites = sites.sorted(); self.findings = findings
        self.toolVersion = toolVersion; self.rulesHash = rulesHash
    }

    /// The side of a scan result read from a file.
    public static func file(_ path: String, report: ScanReport, findings: Int) -> ScanSide {
        ScanSide(label: path, sites: report.sites.map { Fingerprint.siteKey($0.facts.host) }, findings: findings,
                 toolVersion: report.tool.version, rulesHash: report.tool.rulesHash)
    }
}

/// A finding as a comparison lists it.
public struct ComparedFinding: Codable, Sendable {
    public let fingerprint: Fingerprint
    public let site: String
    public let ruleID: String
    public let title: String
    public let severity: Severity
    public let confidence: Double
    public let criterion: String
    public let placement: FindingPlacement
    /// The page (nil for a site or repeated finding).
    public let url: String?
    /// Pages a repeated finding appears on, or a site finding counted.
    public let pages: Int
    public let scope: String?
    public let excerpt: String?
    public let citations: [String]
    public let review: Review?
    public let firstSeen: String?
    public let lastSeen: String?

    init(_ t: TrackedFinding) {
        fingerprint = t.fingerprint; site = t.site; ruleID = t.finding.ruleID; title = t.finding.title
        severity = t.finding.severity; confidence = t.finding.confidence; criterion = t.finding.criterion
        placement = t.placement; url = t.pageURL; pages = t.finding.pages.count
        scope = t.finding.spans.first?.scope; excerpt = t.finding.spans.first?.excerpt
        citations = t.finding.citations.map(\.id); review = t.review; firstSeen = t.firstSeen; lastSeen = t.lastSeen
    }
}

public struct ComparisonCounts: Codable, Sendable, Equatable {
    public init(new: Int = 0, persisting: Int = 0, fixed: Int = 0, notRechecked: Int = 0) {
        self.new = new; self.persisting = persisting; self.fixed = fixed; self.notRechecked = notRechecked
    }
    public var new = 0
    public var persisting = 0
    public var fixed = 0
    /// Findings of OLD on a site NEW did not cover: neither fixed nor persisting.
    public var notRechecked = 0
}

public struct SiteComparison: Codable, Sendable {
    public let site: String
    public let inOld: Bool
    public let inNew: Bool
    public let counts: ComparisonCounts
}

public struct ProvisionComparison: Codable, Sendable {
    /// A provision id from the legal catalog, or "(none)" for findings that cite nothing.
    public let provision: String
    public let instrument: String?
    public let counts: ComparisonCounts
}

/// What changed between two scans, by fingerprint: new (only in NEW), persisting (in both),
/// fixed (only in OLD, on a site NEW covered) and not rechecked (only in OLD, on a site NEW did
/// not cover); per site and per cited provision.
public struct ScanComparison: Codable, Sendable {
    public static let schema = "tonchi.compare/1"
    public let schema: String
    public let oldScan: ScanSide
    public let newScan: ScanSide
    public let summary: ComparisonCounts
    public let new: [ComparedFinding]
    public let persisting: [ComparedFinding]
    public let fixed: [ComparedFinding]
    public let notRechecked: [ComparedFinding]
    public let sites: [SiteComparison]
    public let provisions: [ProvisionComparison]
    /// Set when the two scans ran different rules: some changes may come from the rules.
    public let warnings: [String]

    public static func between(old: [TrackedFinding], new: [TrackedFinding], oldSide: ScanSide, newSide: ScanSide) -> ScanComparison {
        let oldPrints = Set(old.map(\.fingerprint)), newPrints = Set(new.map(\.fingerprint))
        let newSites = Set(newSide.sites)
        var added: [TrackedFinding] = [], persisting: [TrackedFinding] = [], fixed: [TrackedFinding] = [], unchecked: [TrackedFinding] = []
        for t in new { if oldPrints.contains(t.fingerprint) { persisting.append(t) } else { added.append(t) } }
        for t in old where !newPrints.contains(t.fingerprint) {
            if newSites.contains(t.site) { fixed.append(t) } else { unchecked.append(t) }
        }

        var siteCounts: [String: ComparisonCounts] = [:]
        var provisionCounts: [String: ComparisonCounts] = [:]
        var instruments: [String: String] = [:]
        func tally(_ list: [TrackedFinding], _ bump: (inout ComparisonCounts) -> Void) {
            for t in list {
                bump(&siteCounts[t.site, default: ComparisonCounts()])
                let cited = t.finding.citations
                if cited.isEmpty { bump(&provisionCounts["(none)", default: ComparisonCounts()]) }
                for c in Set(cited.map(\.id)) { bump(&provisionCounts[c, default: ComparisonCounts()]) }
                for c in cited { instruments[c.id] = c.instrument }
            }
        }
        tally(added) { $0.new += 1 }
        tally(persisting) { $0.persisting += 1 }
        tally(fixed) { $0.fixed += 1 }
        tally(unchecked) { $0.notRechecked += 1 }
        let allSites = Set(oldSide.sites).union(newSide.sites).union(siteCounts.keys)
        let sites = allSites.sorted().map {
            SiteComparison(site: $0, inOld: oldSide.sites.contains($0), inNew: newSites.contains($0), counts: siteCounts[$0] ?? ComparisonCounts())
        }
        let provisions = provisionCounts.keys.sorted().map {
            ProvisionComparison(provision: $0, instrument: instruments[$0], counts: provisionCounts[$0]!)
        }
        var warnings: [String] = []
        if let a = oldSide.rulesHash, let b = newSide.rulesHash, a != b {
            warnings.append("the scans ran different rules (\(a.prefix(12)) → \(b.prefix(12))): some changes may come from the rules, not the site")
        }
        if !unchecked.isEmpty {
            let gone = Set(unchecked.map(\.site)).sorted().joined(separator: ", ")
            warnings.append("\(unchecked.count) finding(s) on sites the new scan did not cover (\(gone)) are not counted as fixed")
        }
        let summary = ComparisonCounts(new: added.count, persisting: persisting.count, fixed: fixed.count, notRechecked: unchecked.count)
        return ScanComparison(schema: schema, oldScan: oldSide, newScan: newSide, summary: summary,
                              new: ordered(added), persisting: ordered(persisting), fixed: ordered(fixed),
                              notRechecked: ordered(unchecked), sites: sites, provisions: provisions, warnings: warnings)
    }

    static func ordered(_ list: [TrackedFinding]) -> [ComparedFinding] {
        list.map(ComparedFinding.init).sorted { a, b in
            if a.site != b.site { return a.site < b.site }
            if a.severity != b.severity { return a.severity > b.severity }
            if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
            if (a.url ?? "") != (b.url ?? "") { return (a.url ?? "") < (b.url ?? "") }
            return a.fingerprint < b.fingerprint
        }
    }

    /// New findings that count for the exit code: at or above `threshold`, not reviewed as false positives.
    public func newFindings(atLeast threshold: Severity) -> [ComparedFinding] {
        new.filter { $0.severity >= threshold && $0.review?.status != .falsePositive }
    }
}
