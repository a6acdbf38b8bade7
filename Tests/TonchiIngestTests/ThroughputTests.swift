import Foundation
import XCTest
@testable import TonchiIngest
import TonchiTestSupport

/// How fast a big .warc.gz is read. Off by default (it writes hundreds of MB to /tmp); run with
///   TONCHI_INGEST_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ThroughputTests
/// The file is built once from the corpus articles, each wrapped in a small HTML page with a
/// request record beside it, one gzip member per record as crawlers write them.
final class ThroughputTests: XCTestCase {
    func testReadingABigWarcGz() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["TONCHI_INGEST_BENCH"] != nil else {
            throw XCTSkip("set TONCHI_INGEST_BENCH=1 (and build with -c release) to measure throughput")
        }
        let megabytes = Int(env["TONCHI_INGEST_BENCH_MB"] ?? "") ?? 256
        let path = NSTemporaryDirectory() + "tonchi-bench-\(megabytes)mb.warc.gz"
        if !FileManager.default.fileExists(atPath: path) {
            try Self.build(path: path, decodedBytes: megabytes << 20, articles: try SharedCorpus.require().appendingPathComponent("articles"))
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        var best = Double.infinity
        var pages = 0, records = 0, decoded = 0
        for _ in 0..<3 {
            pages = 0; records = 0; decoded = 0
            let start = DispatchTime.now().uptimeNanoseconds
            try Dump.read(path: path) { event in
                records += 1
                if case .item(let item) = event { pages += 1; decoded += item.body.count }
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let mb = Double(1 << 20)
        print(String(format: "warc.gz throughput: %.1f MB compressed in %.2f s = %.1f MB/s compressed, %.1f MB/s of page bodies; %d records, %.0f pages/s",
                     Double(size) / mb, best, Double(size) / mb / best, Double(decoded) / mb / best, records, Double(pages) / best))
        XCTAssertEqual(records, pages * 2)
    }

    static func build(path: String, decodedBytes: Int, articles: URL) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? out.close() }
        var written = 0
        var n = 0
        let files = ["dantri-10cat.jsonl", "baomoi-aggregator.jsonl", "danes-unlabeled-516-domains.jsonl"]
        while written < decodedBytes {
            for file in files {
                let text = try String(contentsOf: articles.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where written < decodedBytes {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                    n += 1
                    let title = object["title"] as? String ?? "Bài \(n)"
                    let body = (object["body"] as? String ?? "").split(separator: "\n").map { "<p>\($0)</p>" }.joined(separator: "\n")
                    let url = "https://bench.example.vn/\(n)"
                    let html = Array("<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>\(title)</title></head>\n<body><h1>\(title)</h1>\n\(body)\n</body></html>\n".utf8)
                    let response = WARCBuilder.response(uri: url, httpHeaders: ["Content-Type: text/html; charset=utf-8", "Content-Length: \(html.count)"], body: html)
                    let request = WARCBuilder.record(type: "request", uri: url, contentType: "application/http; msgtype=request",
                                                     block: Array("GET /\(n) HTTP/1.1\r\nHost: bench.example.vn\r\n\r\n".utf8))
                    out.write(Data(Gzip.compress(request)))
                    out.write(Data(Gzip.compress(response)))
                    written += response.count + request.count
                }
            }
        }
    }
}
