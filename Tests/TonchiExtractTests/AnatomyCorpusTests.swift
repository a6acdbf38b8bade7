import Foundation
import XCTest
import TonchiCore
import TonchiExtract
import TonchiTestSupport

/// The page anatomy of real pages against hand-read fixtures (Fixtures/anatomy/*.txt, format in
/// the README there). The fixtures were written from the pages' HTML, not from the extractor.
final class AnatomyCorpusTests: XCTestCase {
    struct Fixture {
        let name: String
        var fields: [(key: String, value: String)] = []
        func values(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }
        func value(_ key: String) -> String? { values(key).first }
    }

    static let fixtureDirectory: String = {
        // The test folder may be a symlink (private builds); fixtures sit beside the real file.
        var path = "\(#filePath)"
        if let real = realpath(path, nil) { path = String(cString: real); free(real) }
        return (path as NSString).deletingLastPathComponent + "/Fixtures/anatomy"
    }()

    static func fixtures() throws -> [Fixture] {
        let files = try FileManager.default.contentsOfDirectory(atPath: fixtureDirectory).filter { $0.hasSuffix(".txt") }.sorted()
        return try files.map { file in
            var fixture = Fixture(name: file)
            let content = try String(contentsOfFile: fixtureDirectory + "/" + file, encoding: .utf8)
            for line in content.split(separator: "\n") where !line.hasPrefix("#") {
                guard let colon = line.range(of: ": ") else { continue }
                fixture.fields.append((String(line[..<colon.lowerBound]), String(line[colon.upperBound...])))
            }
            return fixture
        }
    }

    private func document(_ fixture: Fixture) throws -> ExtractedDocument {
        let corpus = try SharedCorpus.require()
        let file = try XCTUnwrap(fixture.value("file"), fixture.name)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: corpus.appendingPathComponent("html/" + file).path), file)
        return Extractor.extract([UInt8](data), format: .html, url: fixture.value("url"))
    }

    /// One check per fixture field; returns the failures as "page field: why".
    private func check(_ fixture: Fixture, _ doc: ExtractedDocument) -> (passed: [String], failed: [String]) {
        var passed: [String] = [], failed: [String] = []
        func verdict(_ ok: Bool, _ field: String, _ why: @autoclosure () -> String) {
            if ok { passed.append(field) } else { failed.append("\(fixture.name) \(field): \(why())") }
        }
        let meta = doc.metadata
        for (key, raw) in fixture.fields where key != "file" && key != "url" {
            let value = collapsed(raw)
            switch key {
            case "title":
                verdict(meta["title"].map(collapsed) == value, key, "metadata title \(meta["title"] ?? "nil")")
            case "site_name":
                verdict(meta["site_name"].map(collapsed) == value, key, "metadata site_name \(meta["site_name"] ?? "nil")")
            case "byline":
                if value == "-" {
                    verdict(meta["author"] == nil, key, "expected no author, got \(meta["author"] ?? "") / \(doc.lines(.byline))")
                } else {
                    verdict(doc.lines(.byline).contains { $0.contains(value) }, key, "byline lines \(doc.lines(.byline))")
                }
            case "published":
                verdict(meta["published"]?.hasPrefix(value) == true, key,
                        "published \(meta["published"] ?? "nil") (\(meta["published_text"] ?? ""))")
            case "section":
                verdict(meta["section"].map(collapsed) == value && doc.lines(.section).contains(value), key,
                        "section \(meta["section"] ?? "nil"), scope \(doc.lines(.section))")
            case "attribution":
                if value == "-" {
                    verdict(meta["attribution"] == nil && doc.ranges(.attribution).isEmpty, key,
                            "expected none, got \(meta["attribution"] ?? "") / \(doc.lines(.attribution))")
                } else {
                    let line = doc.lines(.attribution).first { $0.contains(value) }
                    verdict(line != nil && meta["attribution"].map { line!.contains(collapsed($0)) } == true, key,
                            "attribution \(meta["attribution"] ?? "nil"), scope \(doc.lines(.attribution))")
                }
            case "lead":
                verdict(doc.joined(.lead).contains(value), key, "lead \(doc.joined(.lead).prefix(120))")
            case "footer":
                verdict(doc.joined(.footer).contains(value), key, "footer lacks it")
            case "menu":
                verdict(doc.strings(.menu).map(collapsed).contains(value), "menu", "no menu range \(value)")
            case "body":
                verdict(doc.joined(.body).contains(value), key, "body lacks \(value)")
            case "not_body":
                verdict(!doc.joined(.body).contains(value), key, "body has \(value)")
            default:
                failed.append("\(fixture.name): unknown field \(key)")
            }
        }
        return (passed, failed)
    }

    func testHandReadPageAnatomies() throws {
        let fixtures = try Self.fixtures()
        XCTAssertGreaterThanOrEqual(fixtures.count, 10)
        var summary: [String] = []
        for fixture in fixtures {
            XCTAssertGreaterThanOrEqual(fixture.values("menu").count, 3, fixture.name)
            for field in ["file", "title", "site_name", "footer", "body", "not_body"] {
                XCTAssertNotNil(fixture.value(field), "\(fixture.name) lacks \(field)")
            }
            let doc = try document(fixture)
            let (passed, failed) = check(fixture, doc)
            for failure in failed { XCTFail(failure) }
            summary.append("\(fixture.name): \(passed.count)/\(passed.count + failed.count)")
        }
        print("anatomy fixtures: " + summary.joined(separator: ", "))
    }

    /// Whatever the anatomy adds, the invariants of every scope still hold on every page.
    func testAnatomyScopesKeepTheirShapeOnEveryPage() throws {
        let corpus = try SharedCorpus.require().appendingPathComponent("html")
        for sub in try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted() {
            let dir = corpus.appendingPathComponent(sub)
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for file in files.sorted() {
                let data = try XCTUnwrap(FileManager.default.contents(atPath: dir.appendingPathComponent(file).path))
                let doc = Extractor.extract([UInt8](data), format: .html, url: "https://example.vn/muc/bai.html")
                XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: true), [], "\(sub)/\(file)")
                for scope in [Scope.menu, .link, .section, .attribution, .byline] {
                    for r in doc.ranges(scope) {
                        // Every range maps to source bytes and back to itself.
                        XCTAssertEqual(doc.map.derivedRange(forSource: doc.map.sourceRange(of: r)), r, "\(file) \(scope)")
                    }
                }
                XCTAssertEqual(doc.metadata["links"].flatMap(Int.init).map { $0 >= doc.ranges(.link).count }, true, file)
            }
        }
    }
}
