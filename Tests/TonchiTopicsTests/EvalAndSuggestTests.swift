import Foundation
import TonchiCharter
import TonchiEvaluate
import TonchiTestSupport
import XCTest

final class EvalAndSuggestTests: XCTestCase {
    /// The thresholds `make test` also enforces through `tonchi eval`.
    static let minPrecision = 0.95
    static let minRecall = 0.90

    func testOffCharterFiguresOnTheDantriCorpusMeetTheThresholds() throws {
        let corpus = try SharedCorpus.require().appendingPathComponent("articles/dantri-10cat.jsonl")
        let articles = try TopicEvaluation.loadCorpus(path: corpus.path)
        XCTAssertEqual(articles.count, 1330)
        let classifier = Bundled.classifier
        let scores = TopicEvaluation.classify(articles, with: classifier)
        let dev = try TopicEvaluation.evaluate(articles, scores: scores, classifier: classifier, split: .development)
        let heldOut = try TopicEvaluation.evaluate(articles, scores: scores, classifier: classifier, split: .heldOut)
        let all = try TopicEvaluation.evaluate(articles, scores: scores, classifier: classifier, split: .all)
        XCTAssertEqual(dev.articles + heldOut.articles, all.articles)
        XCTAssertEqual(all.sections.count, 10)
        for report in [heldOut, all] {
            XCTAssertGreaterThanOrEqual(report.macroPrecision, Self.minPrecision, report.split.rawValue)
            XCTAssertGreaterThanOrEqual(report.macroRecall, Self.minRecall, report.split.rawValue)
            for section in report.sections {
                // No section may be far worse than the average: the macro figure must not hide one.
                XCTAssertGreaterThanOrEqual(section.precision, 0.9, "\(report.split.rawValue) \(section.section)")
                XCTAssertGreaterThanOrEqual(section.recall, 0.75, "\(report.split.rawValue) \(section.section)")
            }
        }
    }

    func testCorpusErrorsNameFileAndLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-eval-\(UUID()).jsonl")
        try Data("{\"category\":\"sport\",\"body\":\"x\"}\n{not json}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try TopicEvaluation.loadCorpus(path: file.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(file.path):2:"), "\(error)")
        }
        XCTAssertThrowsError(try TopicEvaluation.loadCorpus(path: "/nonexistent/corpus.jsonl"))
    }

    /// Topics the sample charters list although their purpose text does not name them.
    static let unnamedInPurpose: [String: Set<String>] = ["bao-dien-tu-thoi-su.yaml": ["the-thao"]]

    func testSuggestProposesTheSampleChartersTopics() throws {
        let folder = Bundled.repository.appendingPathComponent("Samples/charters")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 4)
        for file in files {
            let charter = try Charter.load(path: folder.appendingPathComponent(file).path)
            let purpose = try XCTUnwrap(charter.purpose, file)
            let proposed = Bundled.classifier.suggest(purpose: purpose).map(\.topic.id)
            let expected = Set(charter.topics).subtracting(Self.unnamedInPurpose[file] ?? [])
            XCTAssertTrue(expected.isSubset(of: Set(proposed)), "\(file): proposed \(proposed), charter \(charter.topics)")
            XCTAssertTrue(charter.topics.contains(proposed.first ?? "-"), "\(file): best proposal \(proposed.first ?? "none")")
        }
        XCTAssertTrue(Bundled.classifier.suggest(purpose: "").isEmpty)
        XCTAssertEqual(Bundled.classifier.suggest(purpose: "Thông tin về thể thao, bóng đá, các giải đấu và vận động viên.").first?.topic.id,
                       "the-thao")
    }
}
