import TonchiEvaluate
import TonchiNormalize
import TonchiRules
import XCTest

final class TaxonomyTests: XCTestCase {
    /// Ids the sample charters and the docs already use: renaming one breaks charters in the field.
    static let requiredIDs = ["thoi-su-chinh-tri", "phap-luat-hinh-su", "xa-hoi", "kinh-te-tai-chinh", "bat-dong-san", "giao-duc",
                              "y-te-suc-khoe", "moi-truong", "khoa-hoc-cong-nghe", "nong-nghiep", "van-hoa-nghe-thuat", "giai-tri",
                              "the-thao", "du-lich", "giao-thong", "quoc-phong-an-ninh", "the-gioi", "doi-song-gia-dinh", "xay-dung",
                              "lao-dong-viec-lam", "ton-giao"]

    func testEveryTopicLoadsWithEnoughCleanTerms() throws {
        let topics = Bundled.ruleSet.lexicons.values.filter { $0.name.hasPrefix(TopicClassifier.lexiconPrefix) }
        XCTAssertGreaterThanOrEqual(topics.count, 20)
        let ids = Set(topics.map { String($0.name.dropFirst(TopicClassifier.lexiconPrefix.count)) })
        for id in Self.requiredIDs { XCTAssertTrue(ids.contains(id), "missing topic \(id)") }
        for lexicon in topics {
            XCTAssertGreaterThanOrEqual(lexicon.entries.count, 80, lexicon.name)
            XCTAssertNotNil(lexicon.title, lexicon.name)
            var seen = Set<String>()
            for (term, weight) in lexicon.entries {
                XCTAssertTrue(Vietnamese.isNFC(term), "\(lexicon.name): \(term) is not NFC")
                // New tone placement (hóa, thủy), lowercase: the form the text is matched in.
                XCTAssertEqual(Vietnamese.normalize(term), term, "\(lexicon.name): \(term) is not in canonical form")
                XCTAssertTrue(seen.insert(term).inserted, "\(lexicon.name): \(term) twice")
                XCTAssertTrue((0.5...3).contains(weight), "\(lexicon.name): \(term) weight \(weight)")
            }
        }
        // The rules linter has nothing to say about the topic files.
        let topicFiles = Set(Self.requiredIDs.map { "\($0).lexicon" })
        let complaints = Bundled.ruleSet.diagnostics.filter { diagnostic in
            topicFiles.contains { diagnostic.location.file.hasSuffix($0) }
        }
        XCTAssertTrue(complaints.isEmpty, complaints.map(\.description).joined(separator: "\n"))
    }

    func testClassifierFindsTheSubjectOfRealisticSnippets() {
        let classifier = Bundled.classifier
        let expected: [(String, String)] = [
            (Snippets.football, "the-thao"), (Snippets.stocks, "kinh-te-tai-chinh"), (Snippets.exam, "giao-duc"),
            (Snippets.pagoda, "ton-giao"), (Snippets.health, "y-te-suc-khoe"), (Snippets.construction, "xay-dung"),
        ]
        for (text, topic) in expected {
            let scores = classifier.classify(classifier.prepare(text: text))
            XCTAssertEqual(scores.leading?.topic.id, topic, String(text.prefix(60)))
            XCTAssertGreaterThan(scores.words, 20)
        }
    }

    /// Decomposed (NFD) text with old tone placement is the same article to the classifier.
    func testDecomposedAndOldTonePlacementScoreTheSame() {
        let classifier = Bundled.classifier
        let old = Snippets.health.replacingOccurrences(of: "khỏe", with: "khoẻ").decomposedStringWithCanonicalMapping
        let a = classifier.classify(classifier.prepare(text: Snippets.health))
        let b = classifier.classify(classifier.prepare(text: old))
        XCTAssertEqual(a.leading?.topic.id, b.leading?.topic.id)
        XCTAssertEqual(a.leading?.weight, b.leading?.weight)
    }

    func testEmptyAndUnrelatedTextHaveNoLeadingTopic() {
        let classifier = Bundled.classifier
        XCTAssertNil(classifier.classify(classifier.prepare(text: "")).leading)
        XCTAssertNil(classifier.classify(classifier.prepare(text: "\u{FFFD}\u{0}   12345 ---")).leading)
    }
}
