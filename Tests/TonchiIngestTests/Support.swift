import Foundation
import XCTest
@testable import TonchiIngest
import TonchiTestSupport

/// Everything one `Dump.read` produced, in order.
struct DumpRun {
    var events: [DumpEvent] = []

    var items: [CapturedItem] { events.compactMap { if case .item(let i) = $0 { return i } else { return nil } } }
    var skips: [SkippedItem] { events.compactMap { if case .skipped(let s) = $0 { return s } else { return nil } } }

    func skips(_ reason: SkippedItem.Reason) -> [SkippedItem] { skips.filter { $0.reason == reason } }

    var reasonCounts: [SkippedItem.Reason: Int] {
        var counts: [SkippedItem.Reason: Int] = [:]
        for s in skips { counts[s.reason, default: 0] += 1 }
        return counts
    }

    /// The WARC record type behind each event, as far as the event says it: the reader's skip
    /// details start with the record type for records that are never pages.
    var recordKinds: [String: Int] {
        var kinds: [String: Int] = [:]
        for event in events {
            let kind: String
            switch event {
            case .item: kind = "page"
            case .skipped(let s):
                if s.detail.hasPrefix("request record") { kind = "request" }
                else if s.detail.hasPrefix("warcinfo record") { kind = "warcinfo" }
                else if s.detail.hasPrefix("metadata record") { kind = "metadata" }
                else if s.detail.hasPrefix("revisit of") { kind = "revisit" }
                else if s.detail.hasPrefix("WARC-Type unknown") { kind = "unknown" }
                else { kind = "other" }
            }
            kinds[kind, default: 0] += 1
        }
        return kinds
    }
}

func readDump(_ path: String, limits: DumpLimits = .standard) throws -> DumpRun {
    var run = DumpRun()
    try Dump.read(path: path, limits: limits) { run.events.append($0) }
    return run
}

/// The WARC corpus folder (skip locally, fail on CI when the shared corpus is missing).
func warcCorpus(file: StaticString = #filePath, line: UInt = #line) throws -> String {
    try SharedCorpus.require(file: file, line: line).appendingPathComponent("warc").path
}

/// SUMMARY.jsonl: what warcio read from each corpus file.
struct CorpusSummary: Decodable {
    let file: String
    let records: Int
    let types: [String: Int]
    let html_responses: Int
    let gzip_members: Int?
    let error: String?
    let sample_uris: [String]

    static func load(_ folder: String) throws -> [String: CorpusSummary] {
        let text = try String(contentsOfFile: folder + "/SUMMARY.jsonl", encoding: .utf8)
        var result: [String: CorpusSummary] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            let entry = try JSONDecoder().decode(CorpusSummary.self, from: Data(line.utf8))
            result[entry.file] = entry
        }
        return result
    }
}

/// A scratch folder under the system temp dir, removed by the caller's `defer`.
func makeTempDir(_ name: String = "tonchi-ingest-test") throws -> String {
    let path = NSTemporaryDirectory() + "\(name)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ bytes: [UInt8], to path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// WARC records built by hand: a header block and a block, with the CRLF CRLF after it.
enum WARCBuilder {
    static func record(type: String, uri: String? = "http://example.vn/", contentType: String? = nil,
                       block: [UInt8], id: String? = nil, extra: [String] = [], contentLength: Int? = nil) -> [UInt8] {
        var header = "WARC/1.1\r\nWARC-Type: \(type)\r\n"
        header += "WARC-Record-ID: <urn:uuid:\(id ?? UUID().uuidString.lowercased())>\r\n"
        header += "WARC-Date: 2024-05-01T08:00:00Z\r\n"
        if let uri { header += "WARC-Target-URI: \(uri)\r\n" }
        if let contentType { header += "Content-Type: \(contentType)\r\n" }
        for field in extra { header += field + "\r\n" }
        header += "Content-Length: \(contentLength ?? block.count)\r\n\r\n"
        return Array(header.utf8) + block + Array("\r\n\r\n".utf8)
    }

    static func response(uri: String = "http://example.vn/", httpHeaders: [String], body: [UInt8], status: String = "200 OK",
                         id: String? = nil) -> [UInt8] {
        var head = "HTTP/1.1 \(status)\r\n"
        for h in httpHeaders { head += h + "\r\n" }
        head += "\r\n"
        return record(type: "response", uri: uri, contentType: "application/http; msgtype=response",
                      block: Array(head.utf8) + body, id: id)
    }

    static func html(_ title: String, paragraphs: [String] = []) -> [UInt8] {
        var page = "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>\(title)</title></head><body>\n<h1>\(title)</h1>\n"
        for p in paragraphs { page += "<p>\(p)</p>\n" }
        page += "</body></html>\n"
        return Array(page.utf8)
    }
}
