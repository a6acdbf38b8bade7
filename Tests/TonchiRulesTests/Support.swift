import Foundation
import TonchiCore
import TonchiExtract
import TonchiEvaluate
import TonchiRules
import TonchiTestSupport
import XCTest

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func legalCatalog() throws -> LegalCatalog {
    var catalog = LegalCatalog()
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Rules/legal/catalog.yaml"), encoding: .utf8)
    let problems = catalog.load(yaml: text, file: "catalog.yaml")
    XCTAssertEqual(problems, [])
    return catalog
}

func compile(_ text: String, file: String = "test.rules") throws -> RuleSet {
    RuleCompiler.compile([.init(path: file, text: text)], catalog: try legalCatalog())
}

/// A rule with the required fields around the given body lines.
func rule(kinds: String = "tap-chi-dien-tu", cites: String = "ND119-2020/D20", _ body: String) -> String {
    rule("t.rule", kinds: kinds, cites: cites, body)
}

func rule(_ id: String, kinds: String = "tap-chi-dien-tu", cites: String = "ND119-2020/D20", _ body: String) -> String {
    """
    rule \(id) {
      title "Kiểm thử"
      message "{match}"
      severity medium
      confidence 0.8
      criterion "QĐ1418 test"
      cites \(cites)
      applies \(kinds)
    \(body)
    }

    """
}

func check(_ ruleSet: RuleSet, _ text: String, format: InputFormat = .plainText, kind: PublicationKind = .tapChiDienTu,
           date: Day? = nil) -> DocumentResult {
    let document = PreparedDocument(name: "doc", extracted: Extractor.extract(Array(text.utf8), format: format),
                                    database: ruleSet.database)
    return Evaluator(ruleSet: ruleSet).evaluate(document, context: CheckContext(kind: kind, date: date, scanDate: Day("2026-11-24")!))
}

/// title + body of every record of an articles file.
func corpusArticles(_ name: String) throws -> [String] {
    let data = try Data(contentsOf: try SharedCorpus.require().appendingPathComponent("articles/\(name)"))
    return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
        return [object["title"], object["body"]].compactMap { $0 as? String }.joined(separator: "\n\n")
    }
}
