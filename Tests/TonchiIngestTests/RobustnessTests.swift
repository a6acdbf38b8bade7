import Foundation
import XCTest
@testable import TonchiIngest
import TonchiTestSupport

/// Damaged copies of real WARCs: cut anywhere, bytes flipped, spans dropped or repeated. Reading
/// must finish (no crash, no hang, no throw) and give at least one event for any non-empty file.
final class RobustnessTests: XCTestCase {
    static let sources = [
        "warcio-testdata/example.warc", "warcio-testdata/example.warc.gz", "warcio-testdata/example-iana.org-chunked.warc",
        "warcio-testdata/example-wrong-chunks.warc.gz", "warcio-testdata/example-bad-non-chunked.warc.gz",
        "pywb-sample_archive/dupes.warc.gz", "pywb-sample_archive/missing-status-text.warc",
        "resiliparse-testdata/clueweb-quirk.warc.gz",
    ]

    func testDamagedCopiesAreReadToTheEnd() throws {
        let root = try warcCorpus()
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitMix(seed: 0x7043_6869)
        var runs = 0
        // More rounds on demand (TONCHI_INGEST_FUZZ_ROUNDS=2000) for a longer search by hand.
        let rounds = Int(ProcessInfo.processInfo.environment["TONCHI_INGEST_FUZZ_ROUNDS"] ?? "") ?? 24
        for (n, source) in Self.sources.enumerated() {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + source)))
            let clean = try readDump(root + "/" + source)
            let name = (source as NSString).lastPathComponent
            for round in 0..<rounds {
                var bytes = original
                switch round % 4 {
                case 0:   // cut anywhere
                    bytes = Array(bytes.prefix(rng.next(bytes.count)))
                case 1:   // flip a few bytes
                    for _ in 0..<(1 + rng.next(6)) { bytes[rng.next(bytes.count)] ^= UInt8(1 + rng.next(255)) }
                case 2:   // drop a span
                    let start = rng.next(bytes.count)
                    bytes.removeSubrange(start..<min(bytes.count, start + 1 + rng.next(200)))
                default:  // repeat a span
                    let start = rng.next(bytes.count)
                    let span = bytes[start..<min(bytes.count, start + 1 + rng.next(300))]
                    bytes.insert(contentsOf: span, at: min(bytes.count, start + rng.next(400)))
                }
                let path = dir + "/\(n)-\(round)-" + name
                try write(bytes, to: path)
                let started = Date()
                let run = try readDump(path, limits: DumpLimits(maxItemBytes: 1 << 20))
                runs += 1
                XCTAssertLessThan(Date().timeIntervalSince(started), 5, "\(path)")
                if !bytes.isEmpty { XCTAssertFalse(run.events.isEmpty, "\(path): no event") }
                // Damage may turn a record into another (a flipped "302" is a "202"), or repeat one,
                // but never multiplies what is there.
                XCTAssertLessThanOrEqual(run.events.count, clean.events.count * 2 + 2, "\(path)")
                for skip in run.skips { XCTAssertFalse(skip.detail.isEmpty) }
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        XCTAssertEqual(runs, Self.sources.count * rounds)
    }

    /// A cut at every position of a small gzip WARC: each prefix reads, and the pages before the
    /// cut are all there.
    func testEveryPrefixOfAGzipWARC() throws {
        let root = try warcCorpus()
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/warcio-testdata/example.warc.gz")))
        let responseMemberEnd = 2012   // the member after the response starts here
        for cut in stride(from: 0, through: original.count, by: 7) {
            let path = dir + "/cut.warc.gz"
            try write(Array(original.prefix(cut)), to: path)
            let run = try readDump(path)
            if cut >= responseMemberEnd { XCTAssertEqual(run.items.count, 1, "cut at \(cut)") }
            if cut > 0 && cut < original.count {
                let last = run.events.last.map(location)
                XCTAssertNotNil(last, "cut at \(cut)")
            }
        }
    }
}
