import Foundation
import TonchiCore
import TonchiEvaluate

/// How much a finding weighs when sites are ranked for review (docs/history.md §review-list).
public struct ReviewWeights: Codable, Sendable {
    /// Per severity; `info` weighs nothing.
    public var severity: [String: Double]
    /// Multiplier for a site rule's finding (it describes the whole site, e.g. a press-like name).
    public var siteFinding: Double
    /// Multiplier for a finding repeated on many pages: it counts once, whatever the page count.
    public var repeatedFinding: Double

    public static let standard = ReviewWeights(
        severity: ["info": 0, "low": 1, "medium": 3, "high": 6, "critical": 10], siteFinding: 2, repeatedFinding: 1)

    /// severity × confidence × placement multiplier; a finding an inspector confirmed counts with
    /// confidence 1, a false positive counts 0.
    public func weight(of t: TrackedFinding) -> Double {
        switch t.review?.status {
        case .falsePositive?: return 0
        default: break
        }
        let confidence = t.review?.status == .confirmed ? 1 : min(max(t.finding.confidence, 0), 1)
        let placement: Double
        switch t.placement {
        case .page: placement = 1
        case .repeated: placement = repeatedFinding
        case .site: placement = siteFinding
        }
        return (severity[t.finding.severity.rawValue] ?? 0) * confidence * placement
    }
}

public struct CriterionCount: Codable, Sendable {
    public let criterion: String
    public let count: Int
    public let weight: Double
}

public struct RuleCount: Codable, Sendable {
    public let ruleID: String
    public let count: Int
    public let weight: Double
}

public struct RankedSite: Codable, Sendable {
    public let rank: Int
    public let site: String
    public let name: String?
    public let source: String
    public let scanID: ScanID?
    public let scannedAt: String?
    public let pages: Int
    /// The sum of the findings' weights, rounded to 2 decimals.
    public let weight: Double
    /// Findings counted (false positives excluded; a repeated finding once).
    public let findings: Int
    public let confirmed: Int
    public let falsePositives: Int
    public let bySeverity: [String: Int]
    /// Per criterion field of the findings, as the rules write it ("QĐ1418 II.1 (T3)").
    public let criteria: [CriterionCount]
    /// Per QĐ 1418 code (T1–T8, S1–S8, M1, P1–P4) the criterion fields name; a finding naming two
    /// codes counts under both, one naming none is under "other".
    public let codes: [CriterionCount]
    public let rules: [RuleCount]
}

/// Sites ranked by the weight of their findings: the list of licensed sites to review first.
public struct ReviewList: Codable, Sendable {
    public static let schema = "tonchi.review-list/1"
    public let schema: String
    public let weights: ReviewWeights
    public let sites: [RankedSite]

    public init(schema: String = ReviewList.schema, weights: ReviewWeights, sites: [RankedSite]) {
        self.schema = schema; self.weights = weights; self.sites = sites
    }

    public static func rank(_ sites: [SiteFindings], weights: ReviewWeights = .standard) -> ReviewList {
        let unranked = sites.map { site -> RankedSite in
            var total = 0.0, counted = 0, confirmed = 0, falsePositives = 0
            var bySeverity: [String: Int] = [:]
            var criteria: [String: (Int, Double)] = [:], codes: [String: (Int, Double)] = [:], rules: [String: (Int, Double)] = [:]
            for t in site.findings {
                if t.review?.status == .falsePositive { falsePositives += 1; continue }
                if t.review?.status == .confirmed { confirmed += 1 }
                let w = weights.weight(of: t)
                total += w; counted += 1
                bySeverity[t.finding.severity.rawValue, default: 0] += 1
                func bump(_ table: inout [String: (Int, Double)], _ key: String) {
                    let old = table[key] ?? (0, 0); table[key] = (old.0 + 1, old.1 + w)
                }
                bump(&criteria, t.finding.criterion)
                let found = criterionCodes(t.finding.criterion)
                if found.isEmpty { bump(&codes, "other") }
                for code in found { bump(&codes, code) }
                bump(&rules, t.finding.ruleID)
            }
            func list(_ table: [String: (Int, Double)]) -> [CriterionCount] {
                table.map { CriterionCount(criterion: $0.key, count: $0.value.0, weight: round2($0.value.1)) }
                    .sorted { ($0.weight, $0.count, $1.criterion) > ($1.weight, $1.count, $0.criterion) }
            }
            return RankedSite(rank: 0, site: site.site, name: site.name, source: site.source, scanID: site.scanID, scannedAt: site.scannedAt,
                              pages: site.pages, weight: round2(total), findings: counted, confirmed: confirmed,
                              falsePositives: falsePositives, bySeverity: bySeverity, criteria: list(criteria), codes: list(codes),
                              rules: rules.map { RuleCount(ruleID: $0.key, count: $0.value.0, weight: round2($0.value.1)) }
                                  .sorted { ($0.weight, $0.count, $1.ruleID) > ($1.weight, $1.count, $0.ruleID) })
        }
        let sorted = unranked.sorted { a, b in
            if a.weight != b.weight { return a.weight > b.weight }
            if a.findings != b.findings { return a.findings > b.findings }
            return a.site < b.site
        }
        let ranked = sorted.enumerated().map { index, s in
            RankedSite(rank: index + 1, site: s.site, name: s.name, source: s.source, scanID: s.scanID, scannedAt: s.scannedAt,
                       pages: s.pages, weight: s.weight, findings: s.findings, confirmed: s.confirmed, falsePositives: s.falsePositives,
                       bySeverity: s.bySeverity, criteria: s.criteria, codes: s.codes, rules: s.rules)
        }
        return ReviewList(schema: schema, weights: weights, sites: ranked)
    }

    /// The QĐ 1418 codes a criterion field names: "QĐ1418 III.1 (S4 …); II.1 (T3)" → ["S4", "T3"].
    public static func criterionCodes(_ criterion: String) -> [String] {
        var result: [String] = []
        for token in criterion.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            guard token.count == 2, let first = token.first, "TSMP".contains(first), let digit = token.last?.wholeNumberValue,
                  (1...9).contains(digit) else { continue }
            if !result.contains(String(token)) { result.append(String(token)) }
        }
        return result
    }
}

func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
