import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiNormalize
import XCTest

final class OffCharterTests: XCTestCase {
    let context = CheckContext(kind: .tapChiDienTu, date: Day("2025-03-01"), scanDate: Day("2025-03-01")!)

    func healthCheck() throws -> OffCharterCheck {
        let charter = try Charter.load(path: Bundled.repository.appendingPathComponent("Samples/charters/tap-chi-suc-khoe.yaml").path)
        return try OffCharterCheck(classifier: Bundled.classifier, allowedTopics: charter.topics, catalog: Bundled.ruleSet.catalog)
    }

    func testConstructionArticleInAHealthMagazineIsOffCharterWithItsEvidence() throws {
        let check = try healthCheck()
        // HTML with an entity, decomposed diacritics and capitals: spans must still point at the page's own bytes.
        var body = Snippets.construction.decomposedStringWithCanonicalMapping
        let first = try XCTUnwrap(body.range(of: "thi công".decomposedStringWithCanonicalMapping))
        body.replaceSubrange(first, with: "THI&nbsp;CÔNG")
        let html = "<html><head><title>Tin xây dựng</title></head><body><article><p>\(body)</p></article></body></html>"
        let source = Array(html.utf8)
        let document = check.classifier.prepare(Extractor.extract(source, format: .html), name: "bai.html")
        let (decision, found) = check.check(document, context: context)
        XCTAssertEqual(decision.outcome, .offCharter)
        XCTAssertEqual(decision.scores.leading?.topic.id, "xay-dung")
        let finding = try XCTUnwrap(found)
        XCTAssertEqual(finding.ruleID, "charter.off-topic")
        XCTAssertEqual(finding.citations.map(\.id), ["ND119-2020/D8/K4/e"])
        XCTAssertEqual(finding.citationDate, Day("2025-03-01"))
        // The explanation names the leading topic, its strongest terms with counts, and the charter's topics.
        XCTAssertTrue(finding.message.contains("xay-dung"), finding.message)
        XCTAssertTrue(finding.message.contains("«thi công» ×"), finding.message)
        XCTAssertTrue(finding.message.contains("Y tế, sức khỏe"), finding.message)
        XCTAssertTrue(finding.message.contains("Đời sống, gia đình"), finding.message)
        XCTAssertFalse(finding.spans.isEmpty)
        XCTAssertGreaterThanOrEqual(finding.totalSpans, finding.spans.count)
        let terms = Set(decision.scores.leading!.terms.map(\.term))
        for span in finding.spans {
            let original = String(decoding: source[span.start..<span.end], as: UTF8.self)
            XCTAssertEqual(span.excerpt, original)
            let folded = Vietnamese.normalize(original.replacingOccurrences(of: "&nbsp;", with: " "))
            XCTAssertTrue(terms.contains(folded), "span \(span.start)..<\(span.end) «\(original)» is not a topic term")
        }
        XCTAssertTrue(finding.spans.contains { String(decoding: source[$0.start..<$0.end], as: UTF8.self) == "THI&nbsp;CÔNG" },
                      "the entity-spelt term maps back to its original bytes")
    }

    func testArticlesWithinTheCharterOrTooThinAreNotAccused() throws {
        let check = try healthCheck()
        let health = check.check(check.classifier.prepare(text: Snippets.health), context: context)
        XCTAssertEqual(health.0.outcome, .withinCharter)
        XCTAssertNil(health.1)
        // Plainly about football, but three sentences are not enough to accuse anyone.
        let short = check.check(check.classifier.prepare(text: Snippets.football), context: context)
        XCTAssertEqual(short.0.outcome, .notJudged)
        XCTAssertNil(short.1)
    }

    /// A strong allowed topic clears an article even when another topic leads.
    func testAStrongAllowedTopicClearsTheArticle() throws {
        let both = Snippets.construction + "\n" + Snippets.health + "\n" + Snippets.health
        let check = try healthCheck()
        let decision = check.decide(check.classifier.classify(check.classifier.prepare(text: both)))
        XCTAssertFalse(decision.isOffCharter)
    }

    func testUnknownCharterTopicIsAnError() {
        XCTAssertThrowsError(try OffCharterCheck(classifier: Bundled.classifier, allowedTopics: ["y-te", "the-thao"], catalog: Bundled.ruleSet.catalog)) { error in
            XCTAssertTrue("\(error)".contains("'y-te'"), "\(error)")
            XCTAssertFalse("\(error)".contains("'the-thao'"), "\(error)")
        }
    }

    func testSiteShareNeedsEnoughPagesAndAShare() throws {
        let check = try healthCheck()
        let off = check.decide(check.classifier.classify(check.classifier.prepare(text: Snippets.construction)))
        let within = check.decide(check.classifier.classify(check.classifier.prepare(text: Snippets.health)))
        let thin = check.decide(check.classifier.classify(check.classifier.prepare(text: Snippets.football)))
        var small = OffCharterTally()
        for i in 0..<5 { small.add(off, page: "p\(i)") }
        XCTAssertNil(small.finding(check, context: context), "five pages are too few to judge a site")

        var site = OffCharterTally()
        for i in 0..<4 { site.add(off, page: "https://x.vn/off-\(i)") }
        for i in 0..<8 { site.add(within, page: "https://x.vn/ok-\(i)") }
        for i in 0..<30 { site.add(thin, page: "https://x.vn/thin-\(i)") }
        XCTAssertEqual(site.judged, 12)
        XCTAssertEqual(site.off, 4)
        let finding = try XCTUnwrap(site.finding(check, context: context))
        XCTAssertEqual(finding.ruleID, "charter.off-topic-share")
        XCTAssertEqual(finding.citations.map(\.id), ["ND119-2020/D8/K4/e"])
        XCTAssertEqual(finding.pages, (0..<4).map { "https://x.vn/off-\($0)" })
        XCTAssertTrue(finding.message.hasPrefix("4/12 trang"), finding.message)

        var mostlyFine = OffCharterTally()
        mostlyFine.add(off, page: "a")
        for i in 0..<11 { mostlyFine.add(within, page: "ok-\(i)") }
        XCTAssertNil(mostlyFine.finding(check, context: context), "1 in 12 is below the share")
    }
}
