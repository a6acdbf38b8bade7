import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiIngest

/// Everything one `tonchi scan` produced: per site, its facts and findings; and what was read.
public struct ScanReport: Sendable, Codable {
    public static let schema = "tonchi.scan/1"
    public let schema: String
    public let tool: ToolInfo
    public let charter: Charter?
    public let kind: PublicationKind
    public let inputs: [String]
    public let sites: [SiteReport]
    public let coverage: Coverage

    public init(tool: ToolInfo, charter: Charter?, kind: PublicationKind, inputs: [String], sites: [SiteReport], coverage: Coverage) {
        self.schema = Self.schema
        self.tool = tool
        self.charter = charter
        self.kind = kind
        self.inputs = inputs
        self.sites = sites
        self.coverage = coverage
    }

    /// The same report with other sites (for writers that stream the sites themselves).
    public func withSites(_ sites: [SiteReport]) -> ScanReport {
        ScanReport(tool: tool, charter: charter, kind: kind, inputs: inputs, sites: sites, coverage: coverage)
    }

    public var findings: [Finding] { sites.flatMap { $0.pages.flatMap(\.findings) + $0.repeatedFindings + $0.siteFindings } }
    public var isComplete: Bool {
        coverage.unchecked.isEmpty && sites.allSatisfy { site in site.pages.allSatisfy { $0.incomplete.isEmpty } && site.siteIncomplete.isEmpty }
    }
}

public struct ToolInfo: Sendable, Codable {
    public let name: String
    public let version: String
    public let rulesHash: String
    public let ruleCount: Int
    public init(name: String = "tonchi", version: String, rulesHash: String, ruleCount: Int) {
        self.name = name; self.version = version; self.rulesHash = rulesHash; self.ruleCount = ruleCount
    }
}

public struct SiteReport: Sendable, Codable {
    public let facts: SiteFacts
    /// Pages with something to report (findings, incomplete checks or notes), sorted by URL.
    public let pages: [PageReport]
    /// Findings of site rules (their evidence, if any, is on the home page).
    public let siteFindings: [Finding]
    /// Page findings that repeat on many pages (a menu, a footer), folded into one finding whose
    /// evidence is on the first of its `pages`.
    public let repeatedFindings: [Finding]
    public let siteIncomplete: [Incomplete]
    /// The captured pages findings point at (bytes, hashes, dates, digest check), sorted by URL.
    public let evidence: [PageEvidence]

    /// The same site report with other pages (for writers that stream the pages themselves).
    public func withPages(_ pages: [PageReport]) -> SiteReport {
        SiteReport(facts: facts, pages: pages, siteFindings: siteFindings, repeatedFindings: repeatedFindings,
                   siteIncomplete: siteIncomplete, evidence: evidence)
    }
}

public struct PageReport: Sendable, Codable {
    public let url: String?
    public let location: ItemLocation
    public let captureDate: String?
    public let payloadDigest: String?
    public let findings: [Finding]
    public let incomplete: [Incomplete]
    public let notes: [String]
    /// Findings an allowlist entry covers (`scan --allowlist`), listed apart from `findings`.
    public var allowlisted: [AllowlistedFinding]? = nil
    /// Expired allowlist entries that would have covered a finding here: reported, not applied.
    public var expiredAllowlist: [AllowlistEntry]? = nil
}

/// What was read, so that nothing is dropped silently.
public struct Coverage: Sendable, Codable {
    public var recordsRead = 0
    public var pagesScanned = 0
    public var bytesScanned = 0
    public var nonHTMLSkipped = 0
    public var notPages = 0
    public var duplicates = 0
    public var tooLarge: [SkippedItem] = []
    public var unsupported: [SkippedItem] = []
    public var unreadable: [SkippedItem] = []
    public init() {}
}

extension Coverage {
    /// Items that hold content no rule saw: unreadable, unsupported or over the size cap.
    public var unchecked: [SkippedItem] { unreadable + unsupported + tooLarge }
}
