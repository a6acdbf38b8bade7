import TonchiCore
import TonchiRules

/// When an article counts as outside the charter. Precision comes first: a false accusation costs
/// an inspector more than a miss, so short or weakly worded articles are never accused.
public struct OffCharterPolicy: Sendable, Codable, Equatable {
    /// Articles shorter than this (title, lead and body) are not judged.
    public var minWords = 120
    /// The leading topic needs at least this much weight in all…
    public var minWeight = 12.0
    /// …and this much per 1,000 words.
    public var minPerThousand = 25.0
    /// It must outscore the best allowed topic by this factor (per 1,000 words).
    public var margin = 2.0
    /// An allowed topic this strong (per 1,000 words) clears the article whatever leads: a world
    /// news page about a foreign epidemic is still world news.
    public var clearingPerThousand = 50.0

    public init() {}
    public static let standard = OffCharterPolicy()
}

/// The verdict on one article against a charter's topics.
public struct OffCharterDecision: Sendable {
    public enum Outcome: String, Sendable, Codable {
        case offCharter = "off-charter"
        case withinCharter = "within-charter"
        /// Too short or too little topical vocabulary to judge.
        case notJudged = "not-judged"
    }
    public let outcome: Outcome
    public let scores: TopicScores
    /// The best-scoring allowed topic (nil when none of them has any hit).
    public let bestAllowed: TopicScore?
    public var isOffCharter: Bool { outcome == .offCharter }
}

/// Holds articles against the topics a charter allows (`topics:` in the charter file).
public struct OffCharterCheck: Sendable {
    public static let ruleID = "charter.off-topic"
    public static let siteRuleID = "charter.off-topic-share"
    /// The provision for publishing outside the licensed charter (Rules/legal/catalog.yaml).
    public static let citationID = "ND119-2020/D8/K4/e"

    public let classifier: TopicClassifier
    public let allowed: [Topic]
    public let policy: OffCharterPolicy
    let provision: LegalCatalog.Provision?

    public struct UnknownTopics: Error, CustomStringConvertible {
        public let ids: [String]
        public let known: [String]
        public var description: String {
            "unknown topic id\(ids.count == 1 ? "" : "s") \(ids.map { "'\($0)'" }.joined(separator: ", ")); known: \(known.joined(separator: ", "))"
        }
    }

    /// Fails on a topic id the taxonomy does not know: a misspelt id would make everything off-charter.
    public init(classifier: TopicClassifier, allowedTopics: [String], catalog: LegalCatalog, policy: OffCharterPolicy = .standard) throws {
        let unknown = allowedTopics.filter { classifier.topic($0) == nil }
        if !unknown.isEmpty { throw UnknownTopics(ids: unknown, known: classifier.topics.map(\.id)) }
        self.classifier = classifier
        allowed = allowedTopics.compactMap { classifier.topic($0) }
        self.policy = policy
        provision = catalog.provision(Self.citationID)
    }

    public func decide(_ scores: TopicScores) -> OffCharterDecision {
        let allowedIDs = Set(allowed.map(\.id))
        let bestAllowed = scores.scores.first { allowedIDs.contains($0.topic.id) && $0.weight > 0 }
        guard let leading = scores.leading, scores.words >= policy.minWords,
              leading.weight >= policy.minWeight, leading.perThousandWords >= policy.minPerThousand else {
            return OffCharterDecision(outcome: .notJudged, scores: scores, bestAllowed: bestAllowed)
        }
        let allowedScore = bestAllowed?.perThousandWords ?? 0
        let off = !allowedIDs.contains(leading.topic.id) && allowedScore < policy.clearingPerThousand
            && leading.perThousandWords >= policy.margin * allowedScore
        return OffCharterDecision(outcome: off ? .offCharter : .withinCharter, scores: scores, bestAllowed: bestAllowed)
    }

    /// Classifies the document and, when it is off-charter, returns the finding and the decision.
    public func check(_ document: PreparedDocument, context: CheckContext, spanLimit: Int = Evaluator.defaultSpanLimit) -> (OffCharterDecision, Finding?) {
        let decision = decide(classifier.classify(document))
        guard decision.isOffCharter, let leading = decision.scores.leading else { return (decision, nil) }
        let (day, source) = Evaluator.citationDay(document, context)
        let terms = leading.terms.prefix(8).map { "«\($0.term)» ×\($0.count)" }.joined(separator: ", ")
        let allowedText = allowed.map { topic in
            "\(topic.title) (\(Self.format(decision.scores.score(of: topic.id)?.perThousandWords ?? 0)))"
        }.joined(separator: "; ")
        let message = "Bài viết chủ yếu thuộc chủ đề «\(leading.topic.title)» (\(leading.topic.id), "
            + "\(Self.format(leading.perThousandWords)) điểm/1.000 từ trên \(decision.scores.words) từ), ngoài tôn chỉ, mục đích "
            + "được cấp phép. Từ ngữ chính: \(terms). Chủ đề của giấy phép: \(allowedText)."
        // Evidence: the first place each of the strongest terms occurs, in the original bytes (the
        // message counts them all; twenty quotes of one word would tell an inspector nothing more).
        var unquoted = Set(leading.terms.prefix(8).map { Array($0.term.utf8) })
        var spans: [Span] = []
        var total = 0
        for hit in leading.hits {
            let term = TopicClassifier.termKey(document.normalized.bytes[hit.range])
            guard leading.terms.prefix(8).contains(where: { $0.term.utf8.elementsEqual(term) }) else { continue }
            total += 1
            guard spans.count < spanLimit, unquoted.remove(term) != nil else { continue }
            let scope = document.scope(holding: hit.range.lowerBound, among: TopicClassifier.scopes, diacriticFree: false) ?? .body
            spans.append(document.locator.span(document.originalRange(of: hit.range, diacriticFree: false), scope: scope.rawValue,
                                               selection: "@topic.\(leading.topic.id)", diacriticFree: false))
        }
        let finding = makeFinding(id: Self.ruleID, title: "Bài viết ngoài tôn chỉ, mục đích", message: message,
                                  confidence: Self.confidence(decision), day: day, source: source, spans: spans, total: total, pages: [])
        return (decision, finding)
    }

    /// Sure-footed when the leading topic dominates; never above 0.9 (vocabulary is not meaning).
    static func confidence(_ decision: OffCharterDecision) -> Double {
        guard let lead = decision.scores.leading else { return 0 }
        let allowed = decision.bestAllowed?.perThousandWords ?? 0
        let ratio = allowed == 0 ? 10 : lead.perThousandWords / allowed
        return min(0.9, 0.6 + 0.05 * min(ratio, 6))
    }

    func makeFinding(id: String, title: String, message: String, confidence: Double, day: Day, source: DateSource,
                     spans: [Span], total: Int, pages: [String]) -> Finding {
        var citations: [CitedProvision] = []
        var warning: String?
        if let p = provision {
            citations = [CitedProvision(id: p.id, instrument: p.instrument, behaviour: p.behaviour,
                                        confidence: p.confidence.rawValue, needsChecking: p.confidence != .verified)]
            let inForce = (p.validFrom.map { day >= $0 } ?? true) && (p.validTo.map { day <= $0 } ?? true)
            if !inForce {
                warning = "Điều khoản \(p.id) không có hiệu lực vào ngày \(day) theo danh mục; cần đối chiếu"
            }
        } else {
            warning = "Danh mục pháp lý không có \(Self.citationID); cần bổ sung căn cứ trước khi lập hồ sơ"
        }
        return Finding(ruleID: id, title: title, message: message, severity: .medium, confidence: confidence,
                       criterion: "Tôn chỉ, mục đích trong giấy phép (chủ đề của bài so với chủ đề được phép)",
                       citations: citations, citationDate: day, citationDateSource: source, citationWarning: warning,
                       spans: spans, totalSpans: total, pages: pages)
    }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// The site-level view: what share of a site's judged pages is off-charter. Pages are added from
/// the scanning threads through the caller's lock; only counts and a few page names are kept.
public struct OffCharterTally: Sendable {
    /// Below this many judged pages a share says little: no site finding.
    public static let minPages = 10
    /// A site finding when at least this share of judged pages is off-charter.
    public static let minShare = 0.2
    public private(set) var judged = 0
    public private(set) var off = 0
    public private(set) var examples: [String] = []
    private let exampleLimit = 50

    public init() {}

    public mutating func add(_ decision: OffCharterDecision, page: String) {
        guard decision.outcome != .notJudged else { return }
        judged += 1
        guard decision.isOffCharter else { return }
        off += 1
        // The first pages by name, not by arrival, so parallel scans agree.
        examples.append(page)
        if examples.count > exampleLimit {
            examples.sort()
            examples.removeLast()
        }
    }

    public func finding(_ check: OffCharterCheck, context: CheckContext) -> Finding? {
        guard judged >= Self.minPages, Double(off) / Double(judged) >= Self.minShare else { return nil }
        let percent = Int((Double(off) * 100 / Double(judged)).rounded())
        let allowed = check.allowed.map(\.title).joined(separator: "; ")
        let message = "\(off)/\(judged) trang được đánh giá (\(percent)%) có nội dung chủ yếu ngoài tôn chỉ, mục đích "
            + "(chủ đề của giấy phép: \(allowed))."
        return check.makeFinding(id: OffCharterCheck.siteRuleID, title: "Tỷ lệ bài viết ngoài tôn chỉ, mục đích của trang",
                                 message: message, confidence: 0.7, day: context.undatedDay.day,
                                 source: context.undatedDay.source, spans: [], total: off, pages: examples.sorted())
    }
}

extension DocumentResult {
    /// The same result with more findings (the charter check runs beside the rules).
    public func adding(_ more: [Finding]) -> DocumentResult {
        more.isEmpty ? self : DocumentResult(name: name, findings: findings + more, incomplete: incomplete, notes: notes)
    }
}
