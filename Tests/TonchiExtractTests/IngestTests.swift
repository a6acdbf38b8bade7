import Foundation
import XCTest
import TonchiCore
import TonchiIngest

final class IngestTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tonchi-ingest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func testDetectionByExtension() {
        let html = Array("<p>x</p>".utf8)
        XCTAssertEqual(Ingest.detectFormat(name: "a/b.TXT", bytes: html), .plainText)
        XCTAssertEqual(Ingest.detectFormat(name: "b.md", bytes: []), .markdown)
        XCTAssertEqual(Ingest.detectFormat(name: "b.markdown", bytes: []), .markdown)
        XCTAssertEqual(Ingest.detectFormat(name: "b.htm", bytes: []), .html)
        XCTAssertEqual(Ingest.detectFormat(name: "b.xhtml", bytes: []), .html)
        XCTAssertEqual(Ingest.detectFormat(name: "/x.y/page.HTML", bytes: []), .html)
    }

    func testDetectionBySniffing() {
        func sniff(_ s: String, bom: Bool = false) -> InputFormat {
            Ingest.detectFormat(name: "-", bytes: (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(s.utf8))
        }
        XCTAssertEqual(sniff("\n\n  <!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\">", bom: true), .html)
        XCTAssertEqual(sniff("<HTML><body>"), .html)
        XCTAssertEqual(sniff("<head>"), .html)
        XCTAssertEqual(sniff("<meta charset=utf-8>"), .html)
        XCTAssertEqual(sniff("<div>x</div>"), .html)
        XCTAssertEqual(sniff("<p>Đoạn</p>"), .html)
        XCTAssertEqual(sniff("<!-- saved --><html>"), .html)
        XCTAssertEqual(sniff("# Tiêu đề\n\nChữ."), .markdown)
        XCTAssertEqual(sniff("Xem [bài](http://x.vn) này."), .markdown)
        XCTAssertEqual(sniff("Chữ thường.\n\n#hashtag, 3 < 4, [ghi chú]"), .plainText)
        XCTAssertEqual(sniff(""), .plainText)
        XCTAssertEqual(Ingest.detectFormat(name: "page.js", bytes: Array("<!doctype html>\n<html lang=\"vi\">".utf8)), .html)
    }

    func testReadsAFile() throws {
        let path = write("bai.md", Array("# Tiêu đề\n".utf8))
        let item = try Ingest.read(path: path)
        XCTAssertEqual(item.name, path)
        XCTAssertEqual(item.bytes, Array("# Tiêu đề\n".utf8))
        XCTAssertEqual(item.format, .markdown)
        XCTAssertNil(item.url)
        XCTAssertEqual(try Ingest.read(path: path, format: .plainText).format, .plainText)
    }

    func testCorpusPageSavedAsJavaScriptIsHTML() throws {
        let path = try Corpus.htmlDirectory() + "/obfuscation-automation-2021/41337781c0681947fa6be9f54e05d7ed.js"
        let item = try Ingest.read(path: path)
        XCTAssertEqual(item.format, .html)
        XCTAssertEqual(item.bytes.count, 114_856)
    }

    func testMissingFileNamesThePath() {
        let path = directory + "/khong-co.html"
        XCTAssertThrowsError(try Ingest.read(path: path)) { error in
            let e = error as? IngestError
            XCTAssertEqual(e?.name, path)
            XCTAssertEqual(e?.reason, "no such file")
            XCTAssertEqual("\(error)", "\(path): no such file")
        }
    }

    func testDirectoryIsRefused() {
        XCTAssertThrowsError(try Ingest.read(path: directory)) { error in
            XCTAssertEqual((error as? IngestError)?.name, directory)
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
    }

    func testTooLargeNamesSizeAndCap() {
        let path = write("lon.txt", [UInt8](repeating: 0x61, count: 3_000_000))
        XCTAssertThrowsError(try Ingest.read(path: path, maxBytes: 2 << 20)) { error in
            XCTAssertEqual((error as? IngestError)?.name, path)
            XCTAssertEqual((error as? IngestError)?.reason,
                           "too large: 3000000 bytes (2.9 MiB) exceeds the cap of 2097152 bytes (2.0 MiB)")
        }
        XCTAssertThrowsError(try Ingest.read(path: path, maxBytes: 1000)) { error in
            XCTAssertEqual("\(error)", "\(path): too large: 3000000 bytes (2.9 MiB) exceeds the cap of 1000 bytes")
        }
        XCTAssertNoThrow(try Ingest.read(path: path, maxBytes: 3_000_000))
    }

    func testUnreadableFile() throws {
        guard geteuid() != 0 else { throw XCTSkip("root reads every file") }
        let path = write("khoa.txt", Array("x".utf8))
        chmod(path, 0)
        XCTAssertThrowsError(try Ingest.read(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): cannot read: permission denied")
        }
    }

    func testPipesAreCappedWhileReading() throws {
        // /dev/zero never ends: only the cap stops it, and the message says so.
        XCTAssertThrowsError(try Ingest.read(path: "/dev/zero", maxBytes: 1 << 16)) { error in
            XCTAssertTrue("\(error)".hasPrefix("/dev/zero: too large: more than 262144 bytes exceeds the cap of 65536 bytes"), "\(error)")
        }
    }
}
