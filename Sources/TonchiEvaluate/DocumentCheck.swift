import TonchiCore
import TonchiExtract
import TonchiRules

/// One document through the rules and, when the charter lists topics, the off-charter check: the
/// step `check`, `scan`, `serve` and the web app's quick check share.
public struct DocumentCheck: Sendable {
    public let ruleSet: RuleSet
    public let evaluator: Evaluator
    public let offCharter: OffCharterCheck?

    public init(ruleSet: RuleSet, offCharter: OffCharterCheck? = nil) {
        self.ruleSet = ruleSet
        evaluator = Evaluator(ruleSet: ruleSet)
        self.offCharter = offCharter
    }

    /// The prepared document (site facts and site rules read it too), the result, and the
    /// off-charter decision (nil without a charter check) that a site's share counts.
    public func run(_ extracted: ExtractedDocument, name: String, context: CheckContext)
        -> (document: PreparedDocument, result: DocumentResult, topical: OffCharterDecision?) {
        let document = PreparedDocument(name: name, extracted: extracted, database: ruleSet.database)
        var result = evaluator.evaluate(document, context: context)
        let topical = offCharter?.check(document, context: context)
        if let finding = topical?.1 { result = result.adding([finding]) }
        return (document, result, topical?.0)
    }

    /// Pre-publication: the author asks, so the author's inline suppressions are honoured (and listed).
    public func draft(_ bytes: [UInt8], format: InputFormat, name: String, url: String?, context: CheckContext,
                      suppressions: Suppressions, declaredCharset: String? = nil) -> (extracted: ExtractedDocument, result: DocumentResult) {
        let extracted = Extractor.extract(bytes, format: format, url: url, declaredCharset: declaredCharset)
        let result = run(extracted, name: name, context: context).result
        return (extracted, suppressions.apply(to: result, textStart: Suppressions.textStart(of: extracted)))
    }

    /// Rule ids a suppression or an allowlist entry may name: the loaded rules and the charter checks.
    public static func knownRuleIDs(_ ruleSet: RuleSet) -> Set<String> {
        Set(ruleSet.rules.map(\.id) + [OffCharterCheck.ruleID, OffCharterCheck.siteRuleID])
    }
}
