import Foundation
import TonchiCore
import TonchiIngest
import TonchiTestSupport
import XCTest

final class DigestTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256Digest.hex(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256Digest.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Digest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Fed in uneven pieces, the same as in one go.
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var digest = SHA256Digest()
        var i = 0
        for size in [1, 63, 64, 65, 127, 1000, 3] where i < bytes.count {
            digest.update(bytes[i..<min(bytes.count, i + size)]); i += size
        }
        digest.update(bytes[i...])
        XCTAssertEqual(Digests.hex(digest.finish()), SHA256Digest.hex(bytes))
    }

    func testSHA1KnownVectors() {
        XCTAssertEqual(Digests.hex(SHA1Digest.hash(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(Digests.hex(SHA1Digest.hash([UInt8]())), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(Digests.base32(SHA1Digest.hash([UInt8]())), "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
    }

    func testDigestTextForms() {
        let raw = SHA1Digest.hash(Array("tonchi".utf8))
        XCTAssertEqual(Digests.decode(Digests.hex(raw), expectedLength: 20), raw)
        XCTAssertEqual(Digests.decode(Digests.hex(raw).uppercased(), expectedLength: 20), raw)
        XCTAssertEqual(Digests.decode(Digests.base32(raw), expectedLength: 20), raw)
        XCTAssertEqual(Digests.decode(Digests.base32(raw).lowercased(), expectedLength: 20), raw)
        XCTAssertEqual(Digests.decode("2jmj7l5rSw0yVb/vlWAYkK/YBwk=", expectedLength: 20), SHA1Digest.hash([UInt8]()))
        XCTAssertNil(Digests.decode("not a digest!", expectedLength: 20))
        XCTAssertNil(Digests.decode(Digests.hex(raw), expectedLength: 32))
    }

    func testDigestVerdicts() {
        let entity = Array("<html><body>Tòa soạn</body></html>".utf8)
        let chunked = Array("\(String(entity.count, radix: 16))\r\n".utf8) + entity + Array("\r\n0\r\n\r\n".utf8)
        let stored = StoredPayload(entity: entity, chunked: chunked)
        let sha1Base32 = "sha1:" + Digests.base32(SHA1Digest.hash(entity))
        XCTAssertEqual(DigestCheck.check(declared: sha1Base32, stored: stored, decoded: entity).verdict, .ok)
        let sha256Hex = "sha256:" + SHA256Digest.hex(entity)
        let ok = DigestCheck.check(declared: sha256Hex, stored: stored, decoded: entity)
        XCTAssertEqual(ok.verdict, .ok)
        XCTAssertEqual(ok.encoding, "hex")
        XCTAssertEqual(ok.matched, "entity-body")
        let legacy = DigestCheck.check(declared: "sha1:" + Digests.hex(SHA1Digest.hash(chunked)), stored: stored, decoded: entity)
        XCTAssertEqual(legacy.verdict, .okLegacy)
        XCTAssertEqual(legacy.matched, "chunked-body")
        let gzipped = StoredPayload(entity: [0x1F, 0x8B, 1, 2, 3], chunked: nil)
        XCTAssertEqual(DigestCheck.check(declared: sha1Base32, stored: gzipped, decoded: entity).matched, "decoded-body")
        var altered = entity; altered[3] ^= 1
        XCTAssertEqual(DigestCheck.check(declared: sha1Base32, stored: StoredPayload(entity: altered, chunked: nil), decoded: altered).verdict, .mismatch)
        XCTAssertEqual(DigestCheck.check(declared: nil, stored: stored, decoded: entity).verdict, .absent)
        XCTAssertEqual(DigestCheck.check(declared: "md5:0123", stored: stored, decoded: entity).verdict, .notCheckable)
        XCTAssertEqual(DigestCheck.check(declared: "sha1:xyz", stored: stored, decoded: entity).verdict, .notCheckable)
        XCTAssertEqual(DigestCheck.check(declared: sha1Base32, stored: nil, decoded: entity).verdict, .notCheckable)
    }

    /// Real WARC files: their digests are written in base32 and hex, some over the chunked body,
    /// and one test file carries a deliberately wrong digest.
    func testDigestsOfRealWARCFiles() throws {
        let corpus = try SharedCorpus.require().appendingPathComponent("warc")
        func verdicts(_ file: String) throws -> [String: DigestCheck] {
            var out: [String: DigestCheck] = [:]
            try Dump.read(path: corpus.appendingPathComponent(file).path, limits: .standard) { event in
                if case .item(let item) = event {
                    out[item.url ?? item.location.description] = DigestCheck.check(declared: item.payloadDigest, stored: item.stored, decoded: item.body)
                }
            }
            return out
        }
        // base32 sha1 over the entity body.
        let example = try verdicts("warcio-testdata/example.warc.gz")
        XCTAssertFalse(example.isEmpty)
        XCTAssertTrue(example.values.allSatisfy { $0.verdict == .ok && $0.encoding == "base32" }, "\(example)")
        // A chunked response whose digest is hex.
        let chunked = try verdicts("warcio-testdata/example-iana.org-chunked.warc")
        XCTAssertFalse(chunked.isEmpty)
        XCTAssertTrue(chunked.values.allSatisfy { [.ok, .okLegacy].contains($0.verdict) && $0.encoding == "hex" }, "\(chunked)")
        // Every response record of the corpus grades to one of the five verdicts, and no plain
        // capture of the well-formed sample archives is a mismatch.
        for file in ["pywb-sample_archive/example.warc.gz", "pywb-sample_archive/iana.warc.gz", "resiliparse-testdata/warcfile.warc.gz"] {
            let all = try verdicts(file)
            XCTAssertFalse(all.isEmpty, file)
            XCTAssertFalse(all.values.contains { $0.verdict == .mismatch }, "\(file): \(all.filter { $0.value.verdict == .mismatch })")
        }
    }
}
