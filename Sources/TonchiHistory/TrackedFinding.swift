import TonchiEvaluate
import TonchiScan

/// Where in a site report a finding sits.
public enum FindingPlacement: String, Codable, Sendable {
    case page       // on one page
    case repeated   // one finding repeated on many pages (a menu, a footer): keyed per site
    case site       // a site rule's finding: keyed per site
}

/// A finding with its fingerprint and where it was found: what the store records and compare diffs.
public struct TrackedFinding: Codable, Sendable {
    public let fingerprint: Fingerprint
    public let key: Fingerprint.Key
    public let site: String
    public let placement: FindingPlacement
    /// The page as the scan reported it (nil for site and repeated findings).
    public let pageURL: String?
    public let finding: Finding
    /// The review decision, when read from a store.
    public var review: Review?
    /// First and last scan dates of the fingerprint, when read from a store (ISO 8601).
    public var firstSeen: String?
    public var lastSeen: String?

    public init(fingerprint: Fingerprint, key: Fingerprint.Key, site: String, placement: FindingPlacement, pageURL: String?,
                finding: Finding, review: Review? = nil, firstSeen: String? = nil, lastSeen: String? = nil) {
        self.fingerprint = fingerprint; self.key = key; self.site = site; self.placement = placement; self.pageURL = pageURL
        self.finding = finding; self.review = review; self.firstSeen = firstSeen; self.lastSeen = lastSeen
    }
}

extension Fingerprint {
    /// Every finding of a scan report with its fingerprint, in report order: per site, page
    /// findings (pages in URL order), then repeated findings, then site findings. Occurrences count
    /// identical keys in that order.
    public static func all(in report: ScanReport) -> [TrackedFinding] {
        var result: [TrackedFinding] = []
        func add(_ findings: [Finding], host: String, url: String?, placements: [FindingPlacement]) {
            for (key, (finding, placement)) in zip(keys(findings, site: host, url: url), zip(findings, placements)) {
                result.append(TrackedFinding(fingerprint: of(key: key), key: key, site: key.site, placement: placement,
                                             pageURL: url, finding: finding))
            }
        }
        for site in report.sites {
            let host = site.facts.host
            for page in site.pages {
                add(page.findings, host: host, url: page.url ?? page.location.description,
                    placements: Array(repeating: .page, count: page.findings.count))
            }
            add(site.repeatedFindings + site.siteFindings, host: host, url: nil,
                placements: Array(repeating: .repeated, count: site.repeatedFindings.count) + Array(repeating: .site, count: site.siteFindings.count))
        }
        return result
    }
}
