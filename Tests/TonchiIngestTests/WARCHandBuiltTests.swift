import Foundation
import XCTest
@testable import TonchiIngest

/// WARCs built here, one problem at a time: HTTP codings, sizes, broken framing, gzip damage.
final class WARCHandBuiltTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try makeTempDir() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func dump(_ name: String, _ bytes: [UInt8], limits: DumpLimits = .standard) throws -> DumpRun {
        let path = dir + "/" + name
        try write(bytes, to: path)
        return try readDump(path, limits: limits)
    }

    private let page = WARCBuilder.html("Tin nóng: Quốc hội họp phiên bế mạc", paragraphs: ["Theo TTXVN, sáng nay …"])

    // MARK: - HTTP transfer and content codings

    func testChunkedBodyIsDechunked() throws {
        let body = page
        var chunked: [UInt8] = []
        var i = 0
        var sizes = [7, 100, 1]
        while i < body.count {
            let n = min(sizes.isEmpty ? 64 : sizes.removeFirst(), body.count - i)
            chunked += Array((String(n, radix: 16) + (i == 0 ? ";name=value" : "") + "\r\n").utf8) + body[i..<(i + n)] + Array("\r\n".utf8)
            i += n
        }
        chunked += Array("0\r\n\r\n".utf8)
        let warc = WARCBuilder.response(httpHeaders: ["Content-Type: text/html; charset=UTF-8", "Transfer-Encoding: chunked"], body: chunked)
        let run = try dump("chunked.warc", warc)
        XCTAssertEqual(run.items.count, 1)
        XCTAssertEqual(run.items.first?.body, body)
        XCTAssertEqual(run.items.first?.declaredCharset, "utf-8")
    }

    func testChunkedHeaderOverADechunkedBodyKeepsTheBody() throws {
        // Some crawlers store the body de-chunked but keep the header.
        let warc = WARCBuilder.response(httpHeaders: ["Content-Type: text/html", "Transfer-Encoding: chunked"], body: page)
        XCTAssertEqual(try dump("stored.warc", warc).items.first?.body, page)
    }

    func testWrongChunkSizesAreReportedAndReadingGoesOn() throws {
        let tooLong = Array("f\r\n<!doctype html>\r\n400\r\nshort\r\n".utf8)
        let noBreak = Array("4\r\n<!doctype html>\r\n0\r\n\r\n".utf8)
        let warc = WARCBuilder.response(uri: "http://example.vn/a", httpHeaders: ["Content-Type: text/html", "Transfer-Encoding: chunked"], body: tooLong)
            + WARCBuilder.response(uri: "http://example.vn/b", httpHeaders: ["Content-Type: text/html", "Transfer-Encoding: chunked"], body: noBreak)
            + WARCBuilder.response(uri: "http://example.vn/c", httpHeaders: ["Content-Type: text/html"], body: page)
        let run = try dump("chunks.warc", warc)
        XCTAssertEqual(run.skips.map(\.reason), [.unreadable, .unreadable])
        XCTAssertEqual(run.skips[0].detail, "bad chunked encoding: chunk 2 declares 1024 bytes at body byte 25 but only 7 are left (after 1 chunks, 15 bytes) (http://example.vn/a)")
        XCTAssertEqual(run.skips[1].detail, "bad chunked encoding: chunk 1 declares 4 bytes at body byte 3 but no line break follows them: the size is wrong (\"ctype html>\\r\\n0\\r\\n…\" follows) (http://example.vn/b)")
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/c"])
    }

    func testGzipAndDeflateContentEncodings() throws {
        let gz = Gzip.compress(page)
        let zlibWrapped = zlibDeflate(page, raw: false)
        let raw = zlibDeflate(page, raw: true)
        // gzip inside chunked transfer coding: de-chunk first, then decode.
        let chunked = Array((String(gz.count, radix: 16) + "\r\n").utf8) + gz + Array("\r\n0\r\n\r\n".utf8)
        let records = [
            WARCBuilder.response(uri: "http://example.vn/gzip", httpHeaders: ["Content-Type: text/html", "Content-Encoding: gzip"], body: gz),
            WARCBuilder.response(uri: "http://example.vn/deflate", httpHeaders: ["Content-Type: text/html", "Content-Encoding: deflate"], body: zlibWrapped),
            WARCBuilder.response(uri: "http://example.vn/raw", httpHeaders: ["Content-Type: text/html", "Content-Encoding: deflate"], body: raw),
            WARCBuilder.response(uri: "http://example.vn/both", httpHeaders: ["Content-Type: text/html", "Transfer-Encoding: chunked", "Content-Encoding: x-gzip"], body: chunked),
            WARCBuilder.response(uri: "http://example.vn/double", httpHeaders: ["Content-Type: text/html", "Content-Encoding: gzip, gzip"], body: Gzip.compress(gz)),
        ]
        // One gzip member per record, as crawlers write them.
        let run = try dump("codings.warc.gz", records.flatMap { Gzip.compress($0) })
        XCTAssertEqual(run.skips.map(\.detail), [])
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/gzip", "http://example.vn/deflate", "http://example.vn/raw", "http://example.vn/both", "http://example.vn/double"])
        XCTAssertTrue(run.items.allSatisfy { $0.body == page })
        var offset = 0
        for (item, record) in zip(run.items, records) {
            XCTAssertEqual(item.location.offset, offset)
            offset += Gzip.compress(record).count
        }
    }

    func testCorruptOrCutGzipBodyIsReported() throws {
        var gz = Gzip.compress(page)
        let cut = Array(gz.prefix(gz.count / 2))
        gz[12] ^= 0xFF
        gz[13] ^= 0xFF
        let warc = WARCBuilder.response(uri: "http://example.vn/cut", httpHeaders: ["Content-Type: text/html", "Content-Encoding: gzip"], body: cut)
            + WARCBuilder.response(uri: "http://example.vn/bad", httpHeaders: ["Content-Type: text/html", "Content-Encoding: gzip"], body: gz)
            + WARCBuilder.response(uri: "http://example.vn/br", httpHeaders: ["Content-Type: text/html", "Content-Encoding: br"], body: [0x1B, 0x2C, 0x00, 0x00])
        let run = try dump("bad-codings.warc", warc)
        XCTAssertEqual(run.skips.map(\.reason), [.unreadable, .unreadable, .unsupported])
        XCTAssertTrue(run.skips[0].detail.hasPrefix("gzip-encoded body is cut off: its \(cut.count) bytes decode to"), run.skips[0].detail)
        XCTAssertTrue(run.skips[1].detail.hasPrefix("gzip-encoded body is corrupt (zlib: "), run.skips[1].detail)
        XCTAssertEqual(run.skips[2].detail, "Content-Encoding br is not supported (http://example.vn/br)")
    }

    func testGzipBombInTheBodyIsStoppedAtTheCap() throws {
        let huge = [UInt8](repeating: 0x20, count: 8 << 20)
        let bomb = Gzip.compress(Array("<!doctype html><p>".utf8) + huge, level: 9)
        XCTAssertLessThan(bomb.count, 16 << 10)
        let warc = WARCBuilder.response(uri: "http://example.vn/bomb", httpHeaders: ["Content-Type: text/html", "Content-Encoding: gzip"], body: bomb)
            + WARCBuilder.response(uri: "http://example.vn/ok", httpHeaders: ["Content-Type: text/html"], body: page)
        let run = try dump("bomb-body.warc", warc, limits: DumpLimits(maxItemBytes: 1 << 20))
        XCTAssertEqual(run.skips.first?.reason, .tooLarge)
        XCTAssertEqual(run.skips.first?.detail, "gzip bomb: the gzip-encoded body of \(bomb.count) bytes expands past 1048576 bytes (1.0 MiB) (http://example.vn/bomb)")
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/ok"])
    }

    // MARK: - Gzip members

    /// A member of a few KB whose record claims megabytes: hopped over, not inflated.
    func testGzipBombMemberIsSkippedWithoutInflating() throws {
        let info = Gzip.compress(WARCBuilder.record(type: "warcinfo", uri: nil, contentType: "application/warc-fields", block: Array("software: test\r\n".utf8)))
        let filler = [UInt8](repeating: 0x61, count: 24 << 20)
        let bomb = Gzip.compress(WARCBuilder.response(uri: "http://example.vn/bomb", httpHeaders: ["Content-Type: text/html"], body: filler), level: 9)
        let good = Gzip.compress(WARCBuilder.response(uri: "http://example.vn/ok", httpHeaders: ["Content-Type: text/html"], body: page))
        XCTAssertLessThan(bomb.count, 64 << 10)
        let run = try dump("bomb.warc.gz", info + bomb + good, limits: DumpLimits(maxItemBytes: 256 << 10))
        XCTAssertEqual(run.events.count, 3)
        let skip = try XCTUnwrap(run.skips.first { $0.reason == .tooLarge })
        XCTAssertEqual(skip.location.offset, info.count)
        XCTAssertTrue(skip.detail.hasPrefix("gzip bomb: record of"), skip.detail)
        XCTAssertTrue(skip.detail.hasSuffix("its member of \(bomb.count) compressed bytes was skipped without inflating it"), skip.detail)
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/ok"])
        XCTAssertEqual(run.items.first?.location.offset, info.count + bomb.count)
    }

    /// A whole record followed, inside the same member, by megabytes of zeros: the record is
    /// read, the zeros are a bomb stepped over at the cap.
    func testMemberExpandingPastTheCapAfterItsRecordIsStopped() throws {
        let record = WARCBuilder.response(uri: "http://example.vn/a", httpHeaders: ["Content-Type: text/html"], body: page)
        let bomb = Gzip.compress(record + [UInt8](repeating: 0, count: 16 << 20), level: 9)
        let good = Gzip.compress(WARCBuilder.response(uri: "http://example.vn/ok", httpHeaders: ["Content-Type: text/html"], body: page))
        let run = try dump("bomb2.warc.gz", bomb + good, limits: DumpLimits(maxItemBytes: 512 << 10))
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/a", "http://example.vn/ok"])
        let skip = try XCTUnwrap(run.skips.first)
        XCTAssertEqual(skip.reason, .tooLarge)
        XCTAssertEqual(skip.location.offset, 0)
        XCTAssertTrue(skip.detail.hasPrefix("no WARC record at offset 0: found \"\\x00\\x00"), skip.detail)
        XCTAssertTrue(skip.detail.hasSuffix("gzip bomb: the member at offset 0 expands past 786432 bytes with no record in it; skipped to the next member at offset \(bomb.count)"), skip.detail)
        XCTAssertEqual(run.items.last?.location.offset, bomb.count)
    }

    func testCorruptMemberIsReportedAndReadingResumesAtTheNextMember() throws {
        let members = (1...4).map { n in
            Gzip.compress(WARCBuilder.response(uri: "http://example.vn/\(n)", httpHeaders: ["Content-Type: text/html"],
                                               body: WARCBuilder.html("Bài \(n)", paragraphs: Array(repeating: "Nội dung \(n)", count: 50))))
        }
        var bytes = members.flatMap { $0 }
        let second = members[0].count
        for k in 0..<40 { bytes[second + 30 + k] ^= 0x5A }   // inside member 2's deflate data
        let run = try dump("corrupt.warc.gz", bytes)
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/1", "http://example.vn/3", "http://example.vn/4"])
        let bad = try XCTUnwrap(run.skips.first)
        XCTAssertEqual(bad.reason, .unreadable)
        XCTAssertEqual(bad.location.offset, second)
        XCTAssertTrue(bad.detail.hasPrefix("corrupt gzip data in the member at offset \(second) (zlib: "), bad.detail)
        XCTAssertTrue(bad.detail.hasSuffix("reading resumed at the next gzip member, offset \(second + members[1].count)"), bad.detail)
    }

    func testTruncatedGzipFileReportsTheCutMember() throws {
        let members = (1...3).map { n in
            Gzip.compress(WARCBuilder.response(uri: "http://example.vn/\(n)", httpHeaders: ["Content-Type: text/html"], body: page))
        }
        let whole = members.flatMap { $0 }
        let third = members[0].count + members[1].count
        let run = try dump("cut.warc.gz", Array(whole.prefix(third + members[2].count / 2)))
        XCTAssertEqual(run.items.count, 2)
        let cut = try XCTUnwrap(run.skips.first)
        XCTAssertEqual(cut.location.offset, third)
        XCTAssertTrue(cut.detail.contains("gzip member at offset \(third) is cut off: the file ends at byte \(third + members[2].count / 2) before the member does"), cut.detail)
        // Cut inside the gzip header of a member: the same note, nothing else.
        let run2 = try dump("cut2.warc.gz", Array(whole.prefix(third + 5)))
        XCTAssertEqual(run2.items.count, 2)
        XCTAssertEqual(run2.skips.map(\.detail), ["gzip member at offset \(third) is cut off: the file ends at byte \(third + 5) before the member does"])
    }

    func testJunkAfterTheLastMemberIsReported() throws {
        let member = Gzip.compress(WARCBuilder.response(httpHeaders: ["Content-Type: text/html"], body: page))
        let run = try dump("junk.warc.gz", member + Array("not gzip at all".utf8))
        XCTAssertEqual(run.items.count, 1)
        XCTAssertEqual(run.skips.first?.location.offset, member.count)
        XCTAssertEqual(run.skips.first?.detail, "the data at offset \(member.count), after a complete gzip member, is not gzip (it starts with 6E 6F 74 20 67 7A 69 70; 15 bytes to the end of the file); no later gzip member opens a WARC record, so reading stops")
        // Junk between members: the members after it are found again.
        let run2 = try dump("junk2.warc.gz", member + Array("junk".utf8) + member)
        XCTAssertEqual(run2.items.count, 2)
        XCTAssertTrue(run2.skips.first?.detail.hasSuffix("reading resumed at the next gzip member, offset \(member.count + 4)") == true, run2.skips.first?.detail ?? "")
        // Zero padding after the last member is fine.
        XCTAssertEqual(try dump("padded.warc.gz", member + [UInt8](repeating: 0, count: 512)).events.count, 1)
    }

    func testWholeFileGzipReadsLikeThePlainFile() throws {
        let plain = (1...5).flatMap { n in
            WARCBuilder.response(uri: "http://example.vn/\(n)", httpHeaders: ["Content-Type: text/html"], body: WARCBuilder.html("Bài \(n)"))
        }
        let a = try dump("plain.warc", plain)
        let b = try dump("whole.warc.gz", Gzip.compress(plain))
        XCTAssertEqual(a.items.map(\.body), b.items.map(\.body))
        XCTAssertEqual(a.items.count, 5)
        XCTAssertTrue(b.items.allSatisfy { $0.location.offset == 0 })
    }

    // MARK: - Record framing

    func testGarbageBetweenRecordsIsSkippedToTheNextRecord() throws {
        let first = WARCBuilder.response(uri: "http://example.vn/1", httpHeaders: ["Content-Type: text/html"], body: page)
        let junk = Array("this is not a record\r\nnor this\r\n".utf8)
        let second = WARCBuilder.response(uri: "http://example.vn/2", httpHeaders: ["Content-Type: text/html"], body: page)
        let run = try dump("junk.warc", first + junk + second)
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/1", "http://example.vn/2"])
        XCTAssertEqual(run.skips.count, 1)
        XCTAssertEqual(run.skips[0].location.offset, first.count)
        XCTAssertEqual(run.skips[0].detail, "no WARC record at offset \(first.count): found \"this is not a record\\r\\nnor this\\r\\n\" where a WARC/1.x version line was expected; \(junk.count) bytes skipped to the next record at offset \(first.count + junk.count)")
        XCTAssertEqual(run.items.last?.location.offset, first.count + junk.count)
    }

    func testContentLengthTooLongRunsIntoTheNextRecord() throws {
        let body = Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".utf8) + page
        let first = WARCBuilder.record(type: "response", uri: "http://example.vn/1", contentType: "application/http; msgtype=response",
                                       block: body, contentLength: body.count + 100)
        let second = WARCBuilder.response(uri: "http://example.vn/2", httpHeaders: ["Content-Type: text/html"], body: page)
        let run = try dump("long.warc", first + second)
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/2"])
        XCTAssertEqual(run.skips.first?.detail, "Content-Length \(body.count + 100) runs past the next record, which starts \(body.count + 4) bytes into the block (offset \(first.count))")
        // The same as the last record of the file: cut off.
        let run2 = try dump("long2.warc", second + first)
        XCTAssertEqual(run2.skips.last?.detail, "truncated record: Content-Length \(body.count + 100) but \(body.count + 4) bytes left (http://example.vn/1)")
    }

    func testMissingOrBadContentLength() throws {
        var bad = Array("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.vn/x\r\nContent-Length: 12abc\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>x</p>\r\n\r\n".utf8)
        bad += WARCBuilder.response(uri: "http://example.vn/ok", httpHeaders: ["Content-Type: text/html"], body: page)
        let run = try dump("cl.warc", bad)
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/ok"])
        XCTAssertTrue(run.skips.first?.detail.hasPrefix("WARC/1.0 record with an invalid Content-Length \"12abc\"; ") == true, run.skips.first?.detail ?? "")
    }

    func testOversizedRecordIsSkippedByItsKind() throws {
        let big = [UInt8](repeating: 0x41, count: 3 << 20)
        let warc = WARCBuilder.response(uri: "http://example.vn/video.mp4", httpHeaders: ["Content-Type: video/mp4"], body: big)
            + WARCBuilder.response(uri: "http://example.vn/big.html", httpHeaders: ["Content-Type: text/html"], body: Array("<html>".utf8) + big)
            + WARCBuilder.response(uri: "http://example.vn/ok", httpHeaders: ["Content-Type: text/html"], body: page)
        let run = try dump("big.warc", warc, limits: DumpLimits(maxItemBytes: 1 << 20))
        XCTAssertEqual(run.skips.map(\.reason), [.notHTML, .tooLarge])
        XCTAssertTrue(run.skips[0].detail.hasPrefix("video/mp4, "), run.skips[0].detail)
        XCTAssertTrue(run.skips[1].detail.hasPrefix("record of "), run.skips[1].detail)
        XCTAssertTrue(run.skips[1].detail.contains("exceeds the cap of"), run.skips[1].detail)
        XCTAssertEqual(run.items.map(\.url), ["http://example.vn/ok"])
    }

    func testHeaderCutAtTheEndOfTheFile() throws {
        let good = WARCBuilder.response(uri: "http://example.vn/ok", httpHeaders: ["Content-Type: text/html"], body: page)
        let run = try dump("cuthead.warc", good + Array("WARC/1.0\r\nWARC-Type: resp".utf8))
        XCTAssertEqual(run.items.count, 1)
        XCTAssertEqual(run.skips.map(\.detail), ["truncated record: the header stops after 25 bytes at the end of the file"])
        XCTAssertEqual(run.skips.first?.location.offset, good.count)
    }

    // MARK: - What a response is

    func testResponseKinds() throws {
        let warc = WARCBuilder.response(uri: "http://example.vn/moved", httpHeaders: ["Location: http://example.vn/new", "Content-Type: text/html"], body: page, status: "301 Moved Permanently")
            + WARCBuilder.response(uri: "http://example.vn/missing", httpHeaders: ["Content-Type: text/html"], body: page, status: "404 Not Found")
            + WARCBuilder.response(uri: "http://example.vn/robots.txt", httpHeaders: ["Content-Type: text/plain"], body: Array("User-agent: *\n".utf8))
            + WARCBuilder.response(uri: "http://example.vn/untyped", httpHeaders: [], body: page)
            + WARCBuilder.response(uri: "http://example.vn/blob", httpHeaders: [], body: [0, 1, 2, 3])
            + WARCBuilder.response(uri: "http://example.vn/empty", httpHeaders: ["Content-Type: text/html"], body: [])
            + WARCBuilder.response(uri: "http://example.vn/xhtml", httpHeaders: ["Content-Type: Application/XHTML+XML; Charset=\"UTF-8\""], body: page)
            + WARCBuilder.record(type: "response", uri: "dns:example.vn", contentType: "text/dns", block: Array("20240501 example.vn. 300 IN A 1.2.3.4".utf8))
            + WARCBuilder.record(type: "response", uri: "http://example.vn/continue", contentType: "application/http; msgtype=response",
                                 block: Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".utf8) + page)
            + WARCBuilder.record(type: "conversion", uri: "http://example.vn/", contentType: "text/plain", block: Array("text".utf8))
            + WARCBuilder.record(type: "continuation", uri: "http://example.vn/", block: Array("rest".utf8))
        let run = try dump("kinds.warc", warc)
        let summary = run.events.map { event -> String in
            switch event {
            case .item(let i): return "item \(i.url ?? "") \(i.contentType ?? "-") \(i.httpStatus.map(String.init) ?? "-") \(i.declaredCharset ?? "-")"
            case .skipped(let s): return "\(s.reason.rawValue): \(s.detail)"
            }
        }
        XCTAssertEqual(summary, [
            "not-a-page: HTTP 301 redirect to http://example.vn/new (http://example.vn/moved)",
            "item http://example.vn/missing text/html 404 -",
            "item http://example.vn/robots.txt text/plain 200 -",
            "item http://example.vn/untyped text/html 200 -",
            "not-html: no Content-Type and no HTML at the start of the body (\"\\x00\\x01\\x02\\x03\") (http://example.vn/blob)",
            "not-a-page: empty body (HTTP 200) (http://example.vn/empty)",
            "item http://example.vn/xhtml application/xhtml+xml 200 utf-8",
            "not-a-page: response record for dns:example.vn: not a web address",
            "item http://example.vn/continue text/html 200 -",
            "not-a-page: conversion record for http://example.vn/",
            "unsupported: continuation record (segmented records are not supported) for http://example.vn/",
        ])
    }

}

/// zlib-wrapped or raw deflate, as servers send "Content-Encoding: deflate".
func zlibDeflate(_ bytes: [UInt8], raw: Bool) -> [UInt8] {
    let gz = Gzip.compress(bytes)
    // A gzip member is a 10-byte header, the raw deflate data, then CRC32 and size (8 bytes).
    let deflated = Array(gz[10..<(gz.count - 8)])
    if raw { return deflated }
    var adler: (UInt32, UInt32) = (1, 0)
    for b in bytes { adler.0 = (adler.0 + UInt32(b)) % 65521; adler.1 = (adler.1 + adler.0) % 65521 }
    let sum = adler.1 << 16 | adler.0
    return [0x78, 0x9C] + deflated + [UInt8(sum >> 24), UInt8(sum >> 16 & 0xFF), UInt8(sum >> 8 & 0xFF), UInt8(sum & 0xFF)]
}
