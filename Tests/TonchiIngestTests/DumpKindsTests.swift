import Foundation
import XCTest
import ZIPFoundation
@testable import TonchiIngest
import TonchiTestSupport

/// The other kinds of dump: wget mirror folders, CMS exports in JSON Lines, WACZ, single files.
final class DumpKindsTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try makeTempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private let page = WARCBuilder.html("Giới thiệu", paragraphs: ["Trang thông tin điện tử tổng hợp."])

    // MARK: - wget mirror

    func testMirrorFolder() throws {
        let site = dir + "/mirror/www.example.vn"
        try write(page, to: site + "/index.html")
        try write(page, to: site + "/tin-tuc/bai-1")                          // no extension: sniffed
        try write(Array("  \n<!DOCTYPE html><html><body>x</body></html>".utf8), to: site + "/lien-he.php")
        try write(Array("{\"ok\":true}".utf8), to: site + "/api.php")          // a script name holding JSON
        try write(Array("body { color: red }".utf8), to: site + "/static/style.css")
        try write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], to: site + "/static/logo.png")
        try write([0x00, 0x01, 0x02], to: site + "/tai-ve/data")               // no extension, binary
        try write(Array("User-agent: *\n".utf8), to: site + "/robots.txt")
        try write(Array("Ghi chú bằng chữ".utf8), to: site + "/ghi-chu.txt")
        try write([], to: site + "/trong.html")
        try write(page, to: site + "/tin-tuc/bai-1.orig")                     // wget -k backup: ignored
        try write(page, to: site + "/tin-tuc/bai-2.html.tmp")                 // unfinished download: ignored
        try write(page, to: site + "/.listing")                               // hidden: ignored
        try write(page, to: site + "/tim kiem.html")                          // a space in the name
        try write(page, to: site + "/index.html?trang=2")                      // wget keeps the query
        try write(page, to: dir + "/mirror/cdn.example.vn/anh/a.html")        // a second host

        let run = try readDump(dir + "/mirror")
        let summary = run.events.map { event -> String in
            switch event {
            case .item(let i): return "item \(i.url ?? "-") \(i.contentType ?? "-")"
            case .skipped(let s): return "\(s.reason.rawValue) \(s.location.file.dropFirst(dir.count + 8)): \(s.detail)"
            }
        }
        XCTAssertEqual(summary, [
            "item http://cdn.example.vn/anh/a.html text/html",
            "not-html www.example.vn/api.php: server-side page name and no HTML in its first bytes (starts with \"{\\\"ok\\\":true}\")",
            "item http://www.example.vn/ghi-chu.txt text/plain",
            "item http://www.example.vn/ text/html",                       // wget's name for the directory URL
            "item http://www.example.vn/index.html?trang=2 text/html",
            "item http://www.example.vn/lien-he.php text/html",
            "not-a-page www.example.vn/robots.txt: robots.txt",
            "not-html www.example.vn/static/logo.png: image/png by its extension",
            "not-html www.example.vn/static/style.css: text/css by its extension",
            "not-html www.example.vn/tai-ve/data: no extension and no HTML in its first bytes (starts with \"\\x00\\x01\\x02\")",
            "item http://www.example.vn/tim%20kiem.html text/html",
            "item http://www.example.vn/tin-tuc/bai-1 text/html",
            "not-a-page www.example.vn/trong.html: empty file (0 bytes)",
        ])
        let item = try XCTUnwrap(run.items.first { $0.url == "http://www.example.vn/" })
        XCTAssertEqual(item.location, ItemLocation(file: dir + "/mirror/www.example.vn/index.html"))
        XCTAssertEqual(item.body, page)
    }

    func testMirrorGivenItsHostFolder() throws {
        try write(page, to: dir + "/example.vn/index.html")
        try write(page, to: dir + "/example.vn/a/b.html")
        let run = try readDump(dir + "/example.vn/")
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/a/b.html", "http://example.vn/"])
    }

    // MARK: - CMS export

    func testJSONLinesExportWithBadLines() throws {
        let lines = [
            #"{"url": "https://example.vn/a", "title": "Tiêu đề A", "author": "Minh Anh", "published": "2024-05-01", "category": "Thời sự", "html": "<p>Nội dung A</p>"}"#,
            #"{"url": "https://example.vn/b", "title": "Tiêu đề B", "date": "2024-05-02", "body": "Nội dung B"}"#,
            #"{"url": "https://example.vn/c", "title": "broken"#,
            #"["not", "an", "object"]"#,
            #"{"url": 42, "html": "<p>x</p>"}"#,
            "",
            #"{"url": "https://example.vn/d", "title": "Không có nội dung"}"#,
            #"{"url": "https://example.vn/e", "title": null, "html": "<p>E</p>"}"#,
        ]
        let text = lines.joined(separator: "\n")   // the last line has no line break
        try write(Array(text.utf8), to: dir + "/export.jsonl")
        let run = try readDump(dir + "/export.jsonl")
        XCTAssertEqual(run.events.count, 7)   // the blank line gives none

        let a = run.items[0]
        XCTAssertEqual(a.url, "https://example.vn/a")
        XCTAssertEqual(a.contentType, "text/html")
        XCTAssertEqual(String(decoding: a.body, as: UTF8.self), "<p>Nội dung A</p>")
        XCTAssertEqual(a.metadata, ["title": "Tiêu đề A", "author": "Minh Anh", "published": "2024-05-01", "category": "Thời sự"])
        XCTAssertEqual(a.location, ItemLocation(file: dir + "/export.jsonl", offset: 0, recordID: "line 1"))

        let b = run.items[1]
        XCTAssertEqual(b.contentType, "text/plain")
        XCTAssertEqual(b.metadata, ["title": "Tiêu đề B", "published": "2024-05-02"])   // "date" stands in for "published"
        XCTAssertEqual(b.location.offset, lines[0].utf8.count + 1)

        let bad = run.skips
        XCTAssertEqual(bad.map(\.reason), [.unreadable, .unreadable, .unreadable, .notAPage])
        XCTAssertEqual(bad.map { $0.location.recordID }, ["line 3", "line 4", "line 5", "line 7"])
        XCTAssertTrue(bad[0].detail.hasPrefix("line 3: invalid JSON ("), bad[0].detail)
        XCTAssertEqual(bad[1].detail, "line 4: not a JSON object but an array")
        XCTAssertEqual(bad[2].detail, "line 5: field \"url\" is a number or boolean, not a string")
        XCTAssertEqual(bad[3].detail, "line 7: no html or body field (https://example.vn/d)")
        XCTAssertEqual(run.items.last?.url, "https://example.vn/e")
        XCTAssertEqual(run.items.last?.metadata, [:])
    }

    /// The Dân trí articles of the shared corpus, read as a CMS export (`date` for `published`).
    func testRealArticlesAsACMSExport() throws {
        let path = try SharedCorpus.require().appendingPathComponent("articles/dantri-10cat.jsonl").path
        let run = try readDump(path)
        XCTAssertEqual(run.items.count, 1330)
        XCTAssertEqual(run.skips.count, 0, "\(run.skips.prefix(3).map(\.detail))")
        XCTAssertTrue(run.items.allSatisfy { $0.contentType == "text/plain" && $0.url?.hasPrefix("https://dantri.com.vn/") == true })
        XCTAssertEqual(Set(run.items.compactMap { $0.metadata["category"] }).count, 10)
        XCTAssertTrue(run.items.allSatisfy { $0.metadata["published"] != nil })
        XCTAssertEqual(run.items[0].location.recordID, "line 1")
        XCTAssertEqual(run.items[1329].location.recordID, "line 1330")
        XCTAssertTrue(String(decoding: run.items[0].body, as: UTF8.self).hasPrefix("Vinamilk lọt Top 1.000"))
    }

    // MARK: - WACZ

    func testHandBuiltWACZWithGzipWARCs() throws {
        let pages = [
            WARCBuilder.response(uri: "https://example.vn/", httpHeaders: ["Content-Type: text/html; charset=utf-8"], body: page),
            WARCBuilder.response(uri: "https://example.vn/gioi-thieu", httpHeaders: ["Content-Type: text/html"], body: page),
        ]
        let warcGz = pages.flatMap { Gzip.compress($0) }
        let plain = WARCBuilder.response(uri: "https://example.vn/lien-he", httpHeaders: ["Content-Type: text/html"], body: page)
        let pagesJSONL = """
        {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
        {"id": "1", "url": "https://example.vn/", "ts": "2024-05-01T08:00:00Z", "title": "Trang chủ"}
        """
        let path = dir + "/site.wacz"
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        func add(_ name: String, _ bytes: [UInt8], _ method: CompressionMethod) throws {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: method) { position, size in
                Data(bytes[Int(position)..<(Int(position) + size)])
            }
        }
        try add("archive/data.warc.gz", warcGz, .none)
        try add("archive/more.warc", plain, .deflate)         // deflated entry: extracted by zlib
        try add("pages/pages.jsonl", Array(pagesJSONL.utf8), .deflate)
        try add("datapackage.json", Array("{}".utf8), .deflate)

        let run = try readDump(path)
        XCTAssertEqual(run.items.map(\.url), ["https://example.vn/", "https://example.vn/gioi-thieu", "https://example.vn/lien-he"])
        XCTAssertEqual(run.items[0].metadata, ["title": "Trang chủ"])
        XCTAssertEqual(run.items[1].location.file, path + "/archive/data.warc.gz")
        XCTAssertEqual(run.items[1].location.offset, Gzip.compress(pages[0]).count)
        XCTAssertEqual(run.items[2].location.file, path + "/archive/more.warc")
        XCTAssertTrue(run.items.allSatisfy { $0.body == page })
    }

    func testWACZEntryThatFailsItsChecksumIsReported() throws {
        let warc = WARCBuilder.response(uri: "https://example.vn/", httpHeaders: ["Content-Type: text/html"], body: page)
        let path = dir + "/damaged.wacz"
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        try archive.addEntry(with: "archive/a.warc", type: .file, uncompressedSize: Int64(warc.count), compressionMethod: .none) { position, size in
            Data(warc[Int(position)..<(Int(position) + size)])
        }
        try archive.addEntry(with: "archive/b.warc", type: .file, uncompressedSize: Int64(warc.count), compressionMethod: .none) { position, size in
            Data(warc[Int(position)..<(Int(position) + size)])
        }
        // Flip one byte of the first entry's stored data (a letter's case): its CRC-32 no longer matches.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let marker = Array("Trang th".utf8)
        let at = try XCTUnwrap((0..<(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        bytes[at] ^= 0x20
        try write(bytes, to: path)
        let run = try readDump(path)
        XCTAssertEqual(run.skips.count, 1)
        XCTAssertEqual(run.skips.first?.location, ItemLocation(file: path, recordID: "archive/a.warc"))
        let detail = run.skips.first?.detail ?? ""
        XCTAssertTrue(detail.hasPrefix("archive/a.warc fails its CRC-32 check (the zip says "), detail)
        XCTAssertTrue(detail.hasSuffix("some bytes in it are damaged; its records are read anyway"), detail)
        XCTAssertEqual(run.items.map(\.location.file), [path + "/archive/a.warc", path + "/archive/b.warc"])
        XCTAssertNotEqual(run.items[0].body, page)   // the flipped byte
    }

    func testWACZThatIsNoZipThrows() throws {
        try write(Array("WARC/1.0\r\n".utf8), to: dir + "/fake.wacz")
        XCTAssertThrowsError(try readDump(dir + "/fake.wacz")) { error in
            XCTAssertEqual((error as? IngestError)?.reason, "cannot open the WACZ: not a zip archive (it starts with 57 41 52 43)")
        }
    }

    // MARK: - Single files and odd inputs

    func testZeroByteFiles() throws {
        for name in ["empty.html", "empty.warc", "empty.warc.gz", "empty.jsonl", "empty"] {
            try write([], to: dir + "/" + name)
            let run = try readDump(dir + "/" + name)
            XCTAssertEqual(run.events.count, 1, name)
            XCTAssertEqual(run.skips.first?.reason, .notAPage, name)
            XCTAssertEqual(run.skips.first?.detail, "empty file (0 bytes)", name)
        }
        try FileManager.default.createDirectory(atPath: dir + "/empty-folder", withIntermediateDirectories: true)
        XCTAssertEqual(try readDump(dir + "/empty-folder").events.count, 0)
    }

    func testSingleFiles() throws {
        try write(page, to: dir + "/trang.html")
        try write(Array("# Tiêu đề\n\nĐoạn văn.".utf8), to: dir + "/bai.md")
        try write(Array("Chỉ là chữ.".utf8), to: dir + "/ghi-chu")
        try write([0xFF, 0xD8, 0xFF, 0xE0], to: dir + "/anh.jpg")
        let html = try readDump(dir + "/trang.html")
        XCTAssertEqual(html.items.first?.contentType, "text/html")
        XCTAssertNil(html.items.first?.url)
        XCTAssertEqual(html.items.first?.inputItem.format, .html)
        XCTAssertEqual(try readDump(dir + "/bai.md").items.first?.contentType, "text/markdown")
        XCTAssertEqual(try readDump(dir + "/ghi-chu").items.first?.contentType, "text/plain")
        XCTAssertEqual(try readDump(dir + "/anh.jpg").skips.first?.detail, "image/jpeg by its extension")
        let big = try readDump(dir + "/trang.html", limits: DumpLimits(maxItemBytes: 10))
        XCTAssertEqual(big.skips.first?.reason, .tooLarge)
    }

    func testWhatIsNotADumpIsSaidPlainly() throws {
        try write(Array("<html>not a warc</html>".utf8), to: dir + "/named.warc")
        XCTAssertEqual(try readDump(dir + "/named.warc").skips.map(\.detail),
                       ["not a WARC file: it starts with \"<html>not a warc</html>\" where WARC/1.0 or WARC/1.1 was expected"])
        try write(Gzip.compress(Array("hello".utf8)), to: dir + "/x.gz")
        XCTAssertEqual(try readDump(dir + "/x.gz").skips.map(\.detail), ["gzip file that is not a WARC: it expands to \"hello\""])
        try write(Array("BZh91AY&SY".utf8), to: dir + "/x.warc.bz2")
        XCTAssertEqual(try readDump(dir + "/x.warc.bz2").skips.map(\.reason), [.unsupported])
        // A WARC named anything is read as a WARC.
        try write(WARCBuilder.response(httpHeaders: ["Content-Type: text/html"], body: page), to: dir + "/capture.dat")
        XCTAssertEqual(try readDump(dir + "/capture.dat").items.count, 1)
    }

    func testUnopenableDumpsThrowWithThePath() throws {
        XCTAssertThrowsError(try readDump(dir + "/missing.warc")) { error in
            XCTAssertEqual("\(error)", dir + "/missing.warc: no such file or folder")
        }
    }

    /// What the caller's closure throws stops the reading and comes out of `Dump.read`.
    func testCallerCanStopTheReading() throws {
        struct Enough: Error {}
        let warc = (1...5).flatMap { n in WARCBuilder.response(uri: "http://example.vn/\(n)", httpHeaders: ["Content-Type: text/html"], body: page) }
        try write(warc, to: dir + "/five.warc")
        var seen = 0
        XCTAssertThrowsError(try Dump.read(path: dir + "/five.warc") { _ in
            seen += 1
            if seen == 2 { throw Enough() }
        }) { XCTAssertTrue($0 is Enough) }
        XCTAssertEqual(seen, 2)
    }

    func testLocationsAreCodable() throws {
        let skip = SkippedItem(location: ItemLocation(file: "a.warc.gz", offset: 12, recordID: "<urn:uuid:x>"), reason: .notHTML, detail: "image/png")
        let json = String(decoding: try JSONEncoder().encode(skip), as: UTF8.self)
        XCTAssertTrue(json.contains("\"reason\":\"not-html\""), json)
        XCTAssertEqual(try JSONDecoder().decode(SkippedItem.self, from: Data(json.utf8)).location, skip.location)
        XCTAssertEqual(skip.location.description, "a.warc.gz, offset 12, <urn:uuid:x>")
    }
}
