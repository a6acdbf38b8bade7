import TonchiCore

/// The payload as a WARC record stores it, kept beside the decoded body so that the record's
/// WARC-Payload-Digest can be checked.
public struct StoredPayload: Sendable {
    /// The HTTP entity body: transfer coding removed, content coding (gzip…) kept. This is what
    /// WARC 1.0/1.1 §6.3.2 says the payload digest covers. For a resource record: the block.
    public let entity: [UInt8]
    /// The body exactly as stored, still chunked, when the response was chunked: what several
    /// crawlers (warcio before 1.7, some wget versions) digested instead.
    public let chunked: [UInt8]?

    public init(entity: [UInt8], chunked: [UInt8]?) {
        self.entity = entity
        self.chunked = chunked
    }
}

/// Whether a captured item's WARC-Payload-Digest matches its bytes, graded for evidence.
public struct DigestCheck: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        /// The digest matches the entity body, as the WARC standard defines it.
        case ok
        /// The digest matches another form of the body that real crawlers digest (the chunked
        /// body, or the body after content decoding): the bytes are intact, the writer was lax.
        case okLegacy = "ok-legacy"
        /// The digest matches no form of the stored body: the record was altered or damaged.
        case mismatch
        /// The record carries no WARC-Payload-Digest (or the item is not from a WARC).
        case absent
        /// A digest is there but cannot be checked: unknown algorithm, unreadable value, or the stored bytes were not kept.
        case notCheckable = "not-checkable"
    }

    public let verdict: Verdict
    /// The header as written ("sha1:B2LT…").
    public let declared: String?
    /// "sha1" or "sha256".
    public let algorithm: String?
    /// How the value was written: hex, base32 or base64.
    public let encoding: String?
    /// Which bytes matched: "entity-body", "chunked-body" or "decoded-body".
    public let matched: String?
    /// One sentence for the report.
    public let detail: String

    public init(verdict: Verdict, declared: String?, algorithm: String?, encoding: String?, matched: String?, detail: String) {
        self.verdict = verdict; self.declared = declared; self.algorithm = algorithm
        self.encoding = encoding; self.matched = matched; self.detail = detail
    }

    /// Checks `declared` against the stored forms of a payload and the decoded body.
    public static func check(declared: String?, stored: StoredPayload?, decoded: [UInt8]) -> DigestCheck {
        guard let declared, !declared.isEmpty else {
            return DigestCheck(verdict: .absent, declared: nil, algorithm: nil, encoding: nil, matched: nil,
                               detail: "no WARC-Payload-Digest")
        }
        guard let colon = declared.firstIndex(of: ":") else {
            return DigestCheck(verdict: .notCheckable, declared: declared, algorithm: nil, encoding: nil, matched: nil,
                               detail: "the digest has no 'algorithm:' prefix")
        }
        let algorithm = declared[..<colon].lowercased().replacingDash()
        let value = String(declared[declared.index(after: colon)...])
        let length: Int
        switch algorithm {
        case "sha1": length = 20
        case "sha256": length = 32
        default:
            return DigestCheck(verdict: .notCheckable, declared: declared, algorithm: algorithm, encoding: nil, matched: nil,
                               detail: "digest algorithm \(algorithm) is not supported (sha1 and sha256 are)")
        }
        guard let expected = Digests.decode(value, expectedLength: length) else {
            return DigestCheck(verdict: .notCheckable, declared: declared, algorithm: algorithm, encoding: nil, matched: nil,
                               detail: "the \(algorithm) value is neither hex, base32 nor base64 of \(length) bytes")
        }
        let encoding = value.utf8.count == length * 2 && Digests.fromHex(value) != nil ? "hex"
            : (Digests.fromBase32(value)?.count == length ? "base32" : "base64")
        guard let stored else {
            return DigestCheck(verdict: .notCheckable, declared: declared, algorithm: algorithm, encoding: encoding, matched: nil,
                               detail: "the stored payload was not kept")
        }
        func digest(_ bytes: [UInt8]) -> [UInt8] { algorithm == "sha1" ? SHA1Digest.hash(bytes) : SHA256Digest.hash(bytes) }
        if digest(stored.entity) == expected {
            return DigestCheck(verdict: .ok, declared: declared, algorithm: algorithm, encoding: encoding, matched: "entity-body",
                               detail: "\(algorithm) (\(encoding)) matches the entity body")
        }
        if let chunked = stored.chunked, digest(chunked) == expected {
            return DigestCheck(verdict: .okLegacy, declared: declared, algorithm: algorithm, encoding: encoding, matched: "chunked-body",
                               detail: "\(algorithm) (\(encoding)) matches the body with its chunked transfer coding, as some crawlers write it")
        }
        if decoded != stored.entity, digest(decoded) == expected {
            return DigestCheck(verdict: .okLegacy, declared: declared, algorithm: algorithm, encoding: encoding, matched: "decoded-body",
                               detail: "\(algorithm) (\(encoding)) matches the body after content decoding, as some crawlers write it")
        }
        return DigestCheck(verdict: .mismatch, declared: declared, algorithm: algorithm, encoding: encoding, matched: nil,
                           detail: "\(algorithm) (\(encoding)) matches no form of the stored body: the record was altered or damaged")
    }
}

private extension String {
    /// "SHA-1" and "sha-256" are seen too.
    func replacingDash() -> String { String(filter { $0 != "-" }) }
}
