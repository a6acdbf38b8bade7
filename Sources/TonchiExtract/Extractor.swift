import TonchiCore

/// The text a rule is matched against, with the way back to the original bytes.
public struct ExtractedDocument: Sendable {
    /// The original bytes, untouched.
    public let source: [UInt8]
    /// Extracted text, in UTF-8 whatever the source's encoding (see `encoding`); invalid bytes of
    /// a UTF-8 source are copied through for the normalizer to judge.
    public let text: [UInt8]
    /// Positions in `text` to byte positions in `source` (the original bytes, through decoding).
    public let map: OffsetMap
    /// Ranges into `text`, sorted and non-overlapping within a scope. Scopes with nothing are absent.
    public let scopes: [Scope: [Range<Int>]]
    /// False for plain text and Markdown: rules' document scopes then fall back to body.
    public let structured: Bool
    /// "title", "author", "description", "published", "site_name", "url", "charset", ...
    public let metadata: [String: String]
    /// Things a report must mention (how the source was decoded, a repaired double encoding,
    /// a font encoding, invalid bytes).
    public let notes: [String]
    /// How the source bytes were read: a `Decoded.encoding` ("utf-8", "windows-1258", …). Pass
    /// it on when building a document from another one, so `sourceString` reads the same way.
    public let encoding: String

    public init(source: [UInt8], text: [UInt8], map: OffsetMap, scopes: [Scope: [Range<Int>]],
                structured: Bool, metadata: [String: String], notes: [String], encoding: String = "utf-8") {
        self.source = source
        self.text = text
        self.map = map
        self.scopes = scopes
        self.structured = structured
        self.metadata = metadata
        self.notes = notes
        self.encoding = encoding
    }

    /// The ranges of a scope, empty when the document has none.
    public func ranges(_ scope: Scope) -> [Range<Int>] { scopes[scope] ?? [] }

    /// The extracted text of a range, for messages and tests (invalid UTF-8 shows as U+FFFD).
    public func string(_ range: Range<Int>) -> String {
        String(decoding: text[range.clamped(to: 0..<text.count)], as: UTF8.self)
    }

    /// Original bytes read the way the document was decoded: the excerpt of a source range for a
    /// report, whatever the page's encoding.
    public func sourceString(_ range: Range<Int>) -> String {
        let bytes = Array(source[range.clamped(to: 0..<source.count)])
        if encoding == "utf-8" { return String(decoding: bytes, as: UTF8.self) }
        let decoded = SourceDecoder.decode(bytes, as: encoding)?.utf8 ?? bytes
        return String(decoding: decoded, as: UTF8.self)
    }
}

public enum Extractor {
    /// Decodes the bytes (see `SourceDecoder`), extracts the text, and maps it straight back to
    /// the original bytes. `declaredCharset` is what the transport said (an HTTP Content-Type
    /// charset), if anything.
    public static func extract(_ bytes: [UInt8], format: InputFormat, url: String? = nil,
                               declaredCharset: String? = nil) -> ExtractedDocument {
        let decoded = SourceDecoder.decode(bytes, declaredCharset: declaredCharset, isHTML: format == .html)
        let inner = extractDecoded(decoded.utf8, format: format, url: url)
        let notes = decoded.notes + inner.notes
        return ExtractedDocument(source: bytes, text: inner.text,
                                 map: decoded.isIdentity ? inner.map : inner.map.composed(with: decoded.map),
                                 scopes: inner.scopes, structured: inner.structured, metadata: inner.metadata,
                                 notes: notes, encoding: decoded.encoding)
    }

    private static func extractDecoded(_ bytes: [UInt8], format: InputFormat, url: String?) -> ExtractedDocument {
        switch format {
        case .plainText: return PlainTextExtractor.extract(bytes, url: url)
        case .markdown: return MarkdownExtractor.extract(bytes, url: url)
        case .html: return HTMLExtractor.extract(bytes, url: url)
        }
    }
}

// MARK: - Shared helpers

@inline(__always) func isASCIIWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C
}

/// Shrinks a range so it neither starts nor ends with whitespace (ASCII or U+00A0); empty ranges
/// come back as nil so callers can drop them.
func trimmed(_ range: Range<Int>, in bytes: [UInt8]) -> Range<Int>? {
    var lower = range.lowerBound, upper = range.upperBound
    while lower < upper {
        if isASCIIWhitespace(bytes[lower]) { lower += 1 }
        else if bytes[lower] == 0xC2, lower + 1 < upper, bytes[lower + 1] == 0xA0 { lower += 2 }
        else { break }
    }
    while upper > lower {
        if isASCIIWhitespace(bytes[upper - 1]) { upper -= 1 }
        else if upper - lower >= 2, bytes[upper - 2] == 0xC2, bytes[upper - 1] == 0xA0,
                // "Ã" + U+00A0 is "à" gone through double encoding; keep it whole for repair.
                !(upper - lower >= 4 && bytes[upper - 4] == 0xC3) { upper -= 2 }
        else { break }
    }
    return lower < upper ? lower..<upper : nil
}

/// A metadata value: ASCII whitespace runs collapsed to one space, invalid UTF-8 replaced.
/// U+00A0 is kept: in double-encoded pages it is half of a letter ("à" became "Ã" + U+00A0),
/// and folding it would make the value unrepairable.
func metadataString(_ bytes: ArraySlice<UInt8>) -> String {
    var collapsed: [UInt8] = []
    collapsed.reserveCapacity(bytes.count)
    var space = false
    for b in bytes {
        if isASCIIWhitespace(b) { space = !collapsed.isEmpty; continue }
        if space { collapsed.append(0x20); space = false }
        collapsed.append(b)
    }
    return String(decoding: collapsed, as: UTF8.self)
}

/// The host of a URL, lowercased, without user info or port ("" when there is none).
func hostOf(_ url: String) -> String {
    var rest = Substring(url)
    if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://"),
       rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
        rest = rest[colon...].dropFirst(3)
    } else if rest.hasPrefix("//") {
        rest = rest.dropFirst(2)
    }
    if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
    if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
    if rest.hasPrefix("[") {   // IPv6 literal keeps its colons
        if let close = rest.firstIndex(of: "]") { rest = rest[...close] }
    } else if let colon = rest.lastIndex(of: ":") {
        rest = rest[..<colon]
    }
    return rest.lowercased()
}

/// Appends the url and domain lines that rules on addresses look at. They are not in the page
/// bytes, so they map to the empty range at the end of the source.
func appendAddressLines(url: String?, text: inout [UInt8], map: inout OffsetMap, sourceCount: Int,
                        scopes: inout [Scope: [Range<Int>]]) {
    guard let url, !url.isEmpty else { return }
    for (scope, value) in [(Scope.url, url), (Scope.domain, hostOf(url))] where !value.isEmpty {
        let line = (text.isEmpty || text.last == 0x0A ? [] : [0x0A]) + Array(value.utf8)
        text.append(contentsOf: line)
        map.appendReplacement(derivedLength: line.count, source: sourceCount..<sourceCount)
        scopes[scope] = [(text.count - value.utf8.count)..<text.count]
    }
}
