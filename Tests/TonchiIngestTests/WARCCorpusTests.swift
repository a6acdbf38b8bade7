import Foundation
import XCTest
@testable import TonchiIngest

/// Every file of shared/corpus/warc, read through `Dump.read`: either read as warcio read it
/// (SUMMARY.jsonl: record counts, types, URIs) or reported precisely where it is broken.
final class WARCCorpusTests: XCTestCase {
    /// What one corpus file must give.
    struct Expectation {
        var items: Int
        var skips: [SkippedItem.Reason: Int]
        /// Whether our reading matches SUMMARY.jsonl (warcio's) record for record. Files where it
        /// deliberately does not say why in `because`.
        var matchesSummary = true
        var because = ""
        var check: ((DumpRun, String) throws -> Void)? = nil
    }

    static let expectations: [String: Expectation] = [
        // ARC is the pre-WARC format: one precise refusal, however warcio converts it.
        "pywb-sample_archive/bad.arc": arc,
        "pywb-sample_archive/example.arc": arc,
        "pywb-sample_archive/example.arc.gz": arc,
        "warcio-testdata/bad.arc": arc,
        "warcio-testdata/example.arc": arc,
        "warcio-testdata/example.arc.gz": arc,
        "warcio-testdata/example-space-in-url.arc": arc,

        "pywb-sample_archive/dupes.warc.gz": Expectation(items: 1, skips: [.notAPage: 14, .duplicate: 9, .notHTML: 1]) { run, _ in
            XCTAssertEqual(run.items.first?.url, "http://example.com")
            XCTAssertTrue(run.skips(.duplicate).allSatisfy { $0.detail.contains("payload identical to an earlier capture") })
            XCTAssertTrue(run.skips.contains { $0.detail.hasPrefix("HTTP 302 redirect to http://www.iana.org/") })
        },
        // One gzip member for the whole file: warcio refuses it ("non-chunked gzip file"); the
        // decoded stream is a good WARC, so all six records are read, each at the member offset 0.
        "pywb-sample_archive/example-bad.warc.gz.bad": wholeFileGzip(uri: "http://example.com?example=1"),
        "warcio-testdata/example-bad.warc.gz.bad": wholeFileGzip(uri: "http://example.com?example=1"),
        "warcio-testdata/example-bad-non-chunked.warc.gz": wholeFileGzip(uri: "http://example.com/"),

        // The second response says "HTTPX/1.1": reported, and the records after it are read.
        "pywb-sample_archive/example-extra.warc": Expectation(items: 1, skips: [.notAPage: 2, .duplicate: 2, .unreadable: 1]) { run, _ in
            let bad = try XCTUnwrap(run.skips(.unreadable).first)
            XCTAssertEqual(bad.location.offset, 3207)
            XCTAssertEqual(bad.detail, "bad HTTP status line \"HTTPX/1.1 200 OK\" (http://example.com?example=2)")
            XCTAssertEqual(run.events.count, 6)
        },
        "pywb-sample_archive/example-url-agnostic-orig.warc.gz": Expectation(items: 1, skips: [.notAPage: 1]) { run, _ in
            XCTAssertEqual(run.items[0].url, "http://example.iana.org/")
            XCTAssertEqual(run.items[0].declaredCharset, "utf-8")
            XCTAssertEqual(run.items[0].location.offset, 353)
        },
        "pywb-sample_archive/example-url-agnostic-revisit.warc.gz": Expectation(items: 0, skips: [.notAPage: 1, .duplicate: 1]) { run, _ in
            XCTAssertEqual(run.skips(.duplicate).first?.detail,
                           "revisit of http://test@example.com/ (payload identical to an earlier capture of http://example.iana.org/, 2013-07-02T19:54:02Z)")
        },
        "pywb-sample_archive/example-wget-1-14.warc.gz": Expectation(items: 1, skips: [.notAPage: 5]) { run, _ in
            XCTAssertEqual(run.items[0].url, "http://example.com/")
            // wget's own log and arguments are resource records, but no web pages.
            XCTAssertEqual(run.skips.filter { $0.detail.contains("metadata://gnu.org/software/wget/warc/") }.count, 3)
        },
        "pywb-sample_archive/example-wpull.warc.gz": Expectation(items: 1, skips: [.notAPage: 3]) { run, _ in
            XCTAssertTrue(run.skips.contains { $0.detail == "resource record for urn:X-wpull:log: not a web address" })
        },
        // The plain copy has a request record whose Content-Length is 3 bytes short (the .gz
        // copy says 323): it still counts as a request, with the problem and the offsets noted.
        "pywb-sample_archive/example.warc": Expectation(items: 1, skips: [.notAPage: 4, .duplicate: 1]) { run, _ in
            let request = try XCTUnwrap(run.skips.first { $0.location.offset == 4061 })
            XCTAssertEqual(request.reason, .notAPage)
            XCTAssertTrue(request.detail.hasPrefix("request record for http://example.com?example=1; Content-Length 320 does not end the record"), request.detail)
            XCTAssertTrue(request.detail.hasSuffix("the block runs on for 3 more bytes before the next record at offset 4771"), request.detail)
            XCTAssertEqual(run.events.last.map(location)?.offset, 4771)
        },
        "pywb-sample_archive/example.warc.gz": Expectation(items: 1, skips: [.notAPage: 4, .duplicate: 1]) { run, _ in
            XCTAssertEqual(run.events.map { location($0).offset }, [0, 333, 1376, 1864, 2417, 2907])
        },
        // The response is gzip content-encoded.
        "pywb-sample_archive/example2.warc.gz": Expectation(items: 1, skips: [.notAPage: 2]) { run, _ in
            XCTAssertEqual(run.items[0].body.count, 1270)
            XCTAssertTrue(String(decoding: run.items[0].body, as: UTF8.self).contains("<title>Example Domain</title>"))
        },
        "pywb-sample_archive/httpbin-resource.warc.gz": Expectation(items: 0, skips: [.notHTML: 1]) { run, _ in
            XCTAssertEqual(run.skips[0].detail, "application/json (http://httpbin.org/anything/resource.json)")
        },
        "pywb-sample_archive/iana.cdx": cdx,
        "pywb-sample_archive/iana.cdxj": cdx,
        "pywb-sample_archive/iana.warc.gz": Expectation(items: 16, skips: [.notAPage: 176, .notHTML: 28, .duplicate: 123]) { run, _ in
            XCTAssertTrue(run.items.allSatisfy { $0.contentType == "text/html" && $0.declaredCharset == "utf-8" && $0.httpStatus == 200 })
            XCTAssertTrue(run.items.allSatisfy { $0.url?.contains("://www.iana.org/") == true })
            // A chunked page of 640 KiB, de-chunked.
            let protocols = try XCTUnwrap(run.items.first { $0.url == "http://www.iana.org/protocols" })
            XCTAssertEqual(protocols.body.count, 655_705)
            XCTAssertTrue(String(decoding: protocols.body.suffix(20), as: UTF8.self).contains("</html>"))
            XCTAssertEqual(run.skips.filter { $0.detail.hasPrefix("HTTP 302 redirect") }.count, 4)
            XCTAssertTrue(run.skips(.notHTML).contains { $0.detail == "image/png (http://www.iana.org/_img/2013.1/iana-logo-homepage.png)" })
        },
        // A zip without archive/ or pages/: said exactly.
        "pywb-sample_archive/invalid_example_1.wacz": Expectation(items: 0, skips: [.unreadable: 1]) { run, path in
            XCTAssertEqual(run.skips[0].location, ItemLocation(file: path))
            XCTAssertEqual(run.skips[0].detail, "not a valid WACZ: no archive/*.warc or archive/*.warc.gz entry, no pages/pages.jsonl; entries: datapackage.json, data/archive/test.txt; datapackage.json lists data/indexes/index.cdx.gz, which the zip does not hold")
        },
        // Header lines end in "\r\r\n" and the status line has no reason phrase.
        "pywb-sample_archive/missing-status-text.warc": Expectation(items: 0, skips: [.notAPage: 1]) { run, _ in
            XCTAssertEqual(run.skips[0].detail, "HTTP 302 redirect to http://www.iana.org/badst (http://iana.org/bads)")
            XCTAssertEqual(run.skips[0].location.recordID, "<urn:uuid:125f3091-65f6-4d0e-96dd-dbff7c551275>")
        },
        "pywb-sample_archive/post-test.warc.gz": postTest,
        "warcio-testdata/post-test.warc.gz": postTest,
        "pywb-sample_archive/valid_example_1.wacz": Expectation(items: 1, skips: [.notAPage: 3]) { run, path in
            let item = run.items[0]
            XCTAssertEqual(item.url, "http://www.example.com/")
            XCTAssertEqual(item.metadata["title"], "Example Domain")   // from pages/pages.jsonl
            XCTAssertEqual(item.location.file, path + "/archive/example-collection.warc")
            XCTAssertEqual(item.location.offset, 845)
            XCTAssertTrue(String(decoding: item.body.prefix(15), as: UTF8.self) == "<!doctype html>")
        },
        "resiliparse-testdata/block-sized-records.warc.gz": Expectation(items: 0, skips: [.notAPage: 3]) { run, _ in
            XCTAssertEqual(run.skips.map { $0.location.offset }, [0, 204, 409])
            XCTAssertTrue(run.skips.allSatisfy { $0.detail == "WARC-Type unknown is not a page record" })
        },
        // The one record is cut off with its gzip member.
        "resiliparse-testdata/clipped.warc.gz": Expectation(items: 0, skips: [.unreadable: 1]) { run, _ in
            XCTAssertEqual(run.skips[0].location.offset, 0)
            XCTAssertEqual(run.skips[0].detail, "truncated record: Content-Length 88275 but 75207 bytes left (http://www.houstonpress.com/music/a-humble-chance-the-rapper-leads-a-spiritual-awakening-at-revention-8866723); gzip member at offset 0 is cut off: the file ends at byte 18184 before the member does")
        },
        // WARC/0.18, LF-only HTTP headers, "Content-Encoding: gzip" over a body stored decoded.
        "resiliparse-testdata/clueweb-quirk.warc.gz": Expectation(items: 29, skips: [.notAPage: 1]) { run, _ in
            XCTAssertTrue(run.items.allSatisfy { $0.declaredCharset == "euc-jp" && $0.contentType == "text/html" })
            XCTAssertTrue(run.items.allSatisfy { $0.body.starts(with: Array("<html>".utf8)) })
            XCTAssertEqual(run.items[0].captureDate, "2008-10-294T05:21:46-0700")   // as written, odd as it is
            XCTAssertEqual(run.items[0].payloadDigest, "sha1:QKXRWAR2FDWMK7N5RM2R35ZIMJYXC6YA")
        },
        "resiliparse-testdata/warcfile.warc": warcfile,
        "resiliparse-testdata/warcfile.warc.gz": warcfile,
        "resiliparse-testdata/warcfile.warc.lz4": Expectation(items: 0, skips: [.unsupported: 1]) { run, _ in
            XCTAssertEqual(run.skips[0].detail, "LZ4-compressed files are not supported; decompress first (the file starts with 04 22 4D 18)")
        },
        "warcio-testdata/example-digest.warc": Expectation(items: 0, skips: [.notAPage: 4]) { run, _ in
            XCTAssertEqual(run.skips.map { $0.location.offset }, [0, 922, 1840, 2758])
        },
        "warcio-testdata/example-iana.org-chunked.warc": Expectation(items: 1, skips: [.notAPage: 2]) { run, _ in
            let page = String(decoding: run.items[0].body, as: UTF8.self)
            XCTAssertTrue(page.hasPrefix("<!doctype html>"))
            XCTAssertTrue(page.contains("Internet Assigned Numbers Authority"))
            XCTAssertFalse(page.contains("\r\n1f"))   // no chunk-size lines left in the body
        },
        "warcio-testdata/example-resource.warc.gz": Expectation(items: 1, skips: [.notAPage: 2]) { run, _ in
            let item = run.items[0]
            XCTAssertEqual(item.body.count, 1303)
            XCTAssertNil(item.httpStatus)   // a resource record has no HTTP part
            XCTAssertEqual(item.declaredCharset, "utf-8")
            XCTAssertTrue(item.body.starts(with: Array("<!DOCTYPE html>".utf8)))
        },
        // "file:///example with spaces.png": the space doesn't break parsing.
        "warcio-testdata/example-space-in-target-uri.warc.gz": Expectation(items: 0, skips: [.notAPage: 1, .notHTML: 1]) { run, _ in
            XCTAssertEqual(run.skips(.notHTML).first?.detail, "image/png (file:///example%20with%20spaces.png)")
        },
        // The response's Content-Length is 2 bytes short: reported at its offset, and the
        // request after it is read.
        "warcio-testdata/example-trunc.warc": Expectation(items: 0, skips: [.notAPage: 3, .unreadable: 1]) { run, _ in
            let bad = try XCTUnwrap(run.skips(.unreadable).first)
            XCTAssertEqual(bad.location.offset, 1197)
            XCTAssertEqual(bad.detail, "Content-Length 973 does not end the record: \"\\x00\\x00\\r\\n\\r\\nWARC/1.0\\r\\n\" follows where a blank line should; the block runs on for 2 more bytes before the next record at offset 2566")
            XCTAssertEqual(run.skips.last?.location.offset, 2566)
            XCTAssertEqual(run.skips.last?.detail, "request record for http://example.com/")
        },
        "warcio-testdata/example-wget-bad-target-uri.warc.gz": Expectation(items: 1, skips: [.notAPage: 5]) { run, _ in
            XCTAssertEqual(run.items[0].url, "http://example.com/")   // "<http://example.com/>" as wget wrote it
        },
        // The response's head and body sit in two gzip members; read as one stream it is whole,
        // and the request after it is found too (warcio stops after the first member).
        "warcio-testdata/example-wrong-chunks.warc.gz": Expectation(items: 1, skips: [.notAPage: 1], matchesSummary: false,
                                                                    because: "warcio stops at the member boundary inside the first record") { run, _ in
            XCTAssertEqual(run.items[0].location.offset, 0)
            XCTAssertEqual(run.items[0].body.count, 1270)
            XCTAssertTrue(run.items[0].body.starts(with: Array("<!doctype html>".utf8)))
            XCTAssertEqual(run.skips[0].location.offset, 1130)
            XCTAssertEqual(run.skips[0].detail, "request record for http://example.com/")
        },
        "warcio-testdata/example.warc": exampleWARC(offsets: [0, 488, 1197, 2566, 3370, 4316]),
        "warcio-testdata/example.warc.gz": exampleWARC(offsets: [0, 353, 784, 2012, 2621, 3207]),
    ]

    static let arc = Expectation(items: 0, skips: [.unsupported: 1], matchesSummary: false,
                                 because: "ARC files are refused, not converted") { run, path in
        XCTAssertEqual(run.skips[0].location.offset, 0)
        XCTAssertTrue(run.skips[0].detail.hasPrefix("ARC files are not supported; convert with warcio"), run.skips[0].detail)
    }

    static let cdx = Expectation(items: 0, skips: [.notAPage: 1]) { run, _ in
        XCTAssertEqual(run.skips[0].detail, "CDX index: it lists captures of a WARC; read the WARC itself")
    }

    static let postTest = Expectation(items: 0, skips: [.notHTML: 3, .notAPage: 3]) { run, _ in
        XCTAssertTrue(run.skips(.notHTML).allSatisfy { $0.detail.hasPrefix("application/json (http://httpbin.org/post") })
    }

    static let warcfile = Expectation(items: 16, skips: [.notAPage: 34]) { run, path in
        XCTAssertEqual(run.skips.filter { $0.detail.hasPrefix("metadata record for http") }.count, 16)
        XCTAssertTrue(run.items.allSatisfy { $0.contentType == "text/html" })
        XCTAssertEqual(run.items.map(\.body.count).reduce(0, +), 513_225)
        XCTAssertEqual(run.items.first { $0.url == "http://01spb.ru/company/" }?.declaredCharset, "windows-1251")
        if path.hasSuffix(".gz") {
            XCTAssertEqual(run.items[0].location.offset, 940)   // the member's offset
        } else {
            XCTAssertEqual(run.items[0].location.offset, 1428)
        }
    }

    static func wholeFileGzip(uri: String) -> Expectation {
        Expectation(items: 1, skips: [.notAPage: 4, .duplicate: 1], matchesSummary: false,
                    because: "warcio refuses a gzip member holding several records; the member is read as a stream") { run, _ in
            XCTAssertEqual(run.events.count, 6)
            XCTAssertTrue(run.events.allSatisfy { location($0).offset == 0 })
            XCTAssertEqual(Set(run.events.map { location($0).recordID }).count, 6)
            XCTAssertEqual(run.items[0].url, uri)
            XCTAssertEqual(run.items[0].body.count, 1270)
            XCTAssertTrue(run.items[0].body.starts(with: Array("<!doctype html>".utf8)))
        }
    }

    static func exampleWARC(offsets: [Int]) -> Expectation {
        Expectation(items: 1, skips: [.notAPage: 4, .duplicate: 1]) { run, _ in
            XCTAssertEqual(run.events.map { location($0).offset }, offsets)
            let item = run.items[0]
            XCTAssertEqual(item.url, "http://example.com/")
            XCTAssertEqual(item.httpStatus, 200)
            XCTAssertEqual(item.captureDate, "2017-03-06T04:02:06Z")
            XCTAssertEqual(item.payloadDigest, "sha1:G7HRM7BGOKSKMSXZAHMUQTTV53QOFSMK")
            XCTAssertEqual(item.body.count, 1270)   // gzip content-encoding undone
            XCTAssertTrue(item.body.starts(with: Array("<!doctype html>".utf8)))
        }
    }

    // MARK: - The tests

    /// Every file in the three folders must have an expectation: a new file fails here until it gets one.
    func testEveryCorpusFileIsCovered() throws {
        let root = try warcCorpus()
        var files: [String] = []
        for folder in ["pywb-sample_archive", "resiliparse-testdata", "warcio-testdata"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder) {
                files.append(folder + "/" + name)
            }
        }
        XCTAssertEqual(files.count, 43)
        for file in files.sorted() {
            XCTAssertNotNil(Self.expectations[file], "no expectation for \(file)")
        }
        let summary = try CorpusSummary.load(root)
        for file in summary.keys { XCTAssertTrue(files.contains(file), "SUMMARY.jsonl lists \(file), which is missing") }
    }

    func testEveryCorpusFile() throws {
        let root = try warcCorpus()
        let summary = try CorpusSummary.load(root)
        for (file, expected) in Self.expectations.sorted(by: { $0.key < $1.key }) {
            let path = root + "/" + file
            let started = Date()
            let run: DumpRun
            do {
                run = try readDump(path)
            } catch {
                XCTFail("\(file): threw \(error)")
                continue
            }
            let elapsed = Date().timeIntervalSince(started)
            XCTAssertLessThan(elapsed, 10, "\(file) took \(elapsed) s")
            XCTAssertEqual(run.items.count, expected.items, "\(file): items")
            XCTAssertEqual(run.reasonCounts, expected.skips, "\(file): skips \(run.skips.map { "\($0.reason): \($0.detail)" })")
            for item in run.items {
                // A page's body is the page: it opens with markup.
                let opening = String(decoding: item.body.prefix(300), as: UTF8.self).lowercased()
                XCTAssertTrue(opening.contains("<!doctype") || opening.contains("<html"), "\(file): \(item.location) opens \(opening.prefix(60))")
                XCTAssertTrue(item.location.file.hasPrefix(path))
            }
            // The detailed checks index into what they expect; only run them on the right counts.
            if let check = expected.check, run.items.count == expected.items, run.reasonCounts == expected.skips {
                try check(run, path)
            }
            guard let warcio = summary[file] else { continue }
            if expected.matchesSummary {
                XCTAssertEqual(run.events.count, warcio.records, "\(file): records")
                let kinds = run.recordKinds
                for type in ["request", "warcinfo", "metadata", "revisit", "unknown"] {
                    XCTAssertEqual(kinds[type] ?? 0, warcio.types[type] ?? 0, "\(file): \(type) records")
                }
                XCTAssertEqual((kinds["page"] ?? 0) + (kinds["other"] ?? 0),
                               (warcio.types["response"] ?? 0) + (warcio.types["resource"] ?? 0), "\(file): responses and resources")
                // Every URI warcio sampled is seen: as a page's URL or named in a skip.
                for uri in warcio.sample_uris {
                    let seen = run.items.contains { $0.url == uri } || run.skips.contains { $0.detail.contains(uri) }
                    XCTAssertTrue(seen, "\(file): \(uri) not seen")
                }
            } else {
                XCTAssertFalse(expected.because.isEmpty, "\(file): say why it differs from SUMMARY.jsonl")
            }
        }
    }

    /// The same pages whether the WARC is plain or gzip per record.
    func testPlainAndGzipCopiesAgree() throws {
        let root = try warcCorpus()
        for (plain, gzip) in [("resiliparse-testdata/warcfile.warc", "resiliparse-testdata/warcfile.warc.gz"),
                              ("warcio-testdata/example.warc", "warcio-testdata/example.warc.gz")] {
            let a = try readDump(root + "/" + plain).items
            let b = try readDump(root + "/" + gzip).items
            XCTAssertEqual(a.map(\.url), b.map(\.url))
            XCTAssertEqual(a.map(\.body), b.map(\.body))
            XCTAssertEqual(a.map(\.location.recordID), b.map(\.location.recordID))
        }
    }

    /// Offsets in a .warc.gz are where each record's member starts, as pywb's CDX index says.
    func testGzipOffsetsMatchTheCDXIndex() throws {
        let root = try warcCorpus()
        let cdx = try String(contentsOfFile: root + "/pywb-sample_archive/iana.cdx", encoding: .utf8)
        var indexed = Set<Int>()
        for line in cdx.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // CDX 11 fields: … compressed-size offset filename.
            if fields.count >= 3, let offset = Int(fields[fields.count - 2]) { indexed.insert(offset) }
        }
        XCTAssertGreaterThan(indexed.count, 100)
        let run = try readDump(root + "/pywb-sample_archive/iana.warc.gz")
        let offsets = Set(run.items.compactMap(\.location.offset))
        XCTAssertEqual(offsets.count, 16)
        XCTAssertTrue(offsets.isSubset(of: indexed), "\(offsets.subtracting(indexed).sorted())")
    }
}

func location(_ event: DumpEvent) -> ItemLocation {
    switch event {
    case .item(let item): return item.location
    case .skipped(let skip): return skip.location
    }
}
