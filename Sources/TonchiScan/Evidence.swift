import TonchiCore
import TonchiExtract
import TonchiIngest

/// What an inspector files for one captured page a finding points at: which bytes, captured
/// when, published when, and whether the archive's own digest vouches for them.
public struct PageEvidence: Sendable, Codable {
    public let url: String?
    public let location: ItemLocation
    /// WARC-Date as written.
    public let captureDate: String?
    /// The page's own publication date, as the page states it.
    public let published: String?
    public let title: String?
    /// Size and SHA-256 (hex) of the payload as tonchi read it — the HTTP body after transfer and
    /// content decoding, or the file — the bytes every span's offsets count in.
    public let bytes: Int
    public let sha256: String
    public let digest: DigestCheck

    public init(url: String?, location: ItemLocation, captureDate: String?, published: String?, title: String?,
                bytes: Int, sha256: String, digest: DigestCheck) {
        self.url = url; self.location = location; self.captureDate = captureDate; self.published = published
        self.title = title; self.bytes = bytes; self.sha256 = sha256; self.digest = digest
    }

    /// The name findings use for this page (its URL, else where it sits in the dump).
    public var name: String { url ?? location.description }

    public static func make(item: CapturedItem, extracted: ExtractedDocument) -> PageEvidence {
        PageEvidence(url: item.url, location: item.location, captureDate: item.captureDate,
                     published: extracted.metadata["published"] ?? item.metadata["published"],
                     title: extracted.metadata["title"] ?? item.metadata["title"],
                     bytes: item.body.count, sha256: SHA256Digest.hex(item.body),
                     digest: DigestCheck.check(declared: item.payloadDigest, stored: item.stored, decoded: item.body))
    }

    /// A single file given to `tonchi check`: no capture, no archive digest.
    public static func make(file name: String, bytes: [UInt8], extracted: ExtractedDocument) -> PageEvidence {
        PageEvidence(url: nil, location: ItemLocation(file: name), captureDate: nil,
                     published: extracted.metadata["published"], title: extracted.metadata["title"],
                     bytes: bytes.count, sha256: SHA256Digest.hex(bytes),
                     digest: DigestCheck(verdict: .absent, declared: nil, algorithm: nil, encoding: nil, matched: nil,
                                         detail: "a single file, not an archive record"))
    }
}
