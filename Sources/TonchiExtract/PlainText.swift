import TonchiCore

/// Plain text is its own extracted text: only blocks need finding.
enum PlainTextExtractor {
    static func extract(_ bytes: [UInt8], url: String?) -> ExtractedDocument {
        var text = bytes
        var map = OffsetMap.identity(length: bytes.count)
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var scopes: [Scope: [Range<Int>]] = [:]
        if let body = trimmed(start..<bytes.count, in: bytes) { scopes[.body] = [body] }
        let paragraphs = Lines.blocks(bytes, in: start..<bytes.count).compactMap { trimmed($0, in: bytes) }
        if !paragraphs.isEmpty { scopes[.paragraph] = paragraphs }
        appendAddressLines(url: url, text: &text, map: &map, sourceCount: bytes.count, scopes: &scopes)
        if !text.isEmpty { scopes[.text] = [0..<text.count] }
        var metadata: [String: String] = [:]
        if let url { metadata["url"] = url }
        return ExtractedDocument(source: bytes, text: text, map: map, scopes: scopes, structured: false,
                                 metadata: metadata, notes: [])
    }
}

/// Line arithmetic shared by the plain-text and Markdown extractors.
enum Lines {
    /// Lines as ranges without their "\n" (a trailing "\r" stays; callers treat it as whitespace).
    static func split(_ bytes: [UInt8], in range: Range<Int>) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var lineStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            if bytes[i] == 0x0A {
                lines.append(lineStart..<i)
                lineStart = i + 1
            }
            i += 1
        }
        if lineStart < range.upperBound { lines.append(lineStart..<range.upperBound) }
        return lines
    }

    static func isBlank(_ bytes: [UInt8], _ line: Range<Int>) -> Bool {
        line.allSatisfy { isASCIIWhitespace(bytes[$0]) }
    }

    /// Maximal runs of non-blank lines.
    static func blocks(_ bytes: [UInt8], in range: Range<Int>) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var blockStart: Int? = nil
        var blockEnd = range.lowerBound
        for line in split(bytes, in: range) {
            if isBlank(bytes, line) {
                if let s = blockStart { blocks.append(s..<blockEnd); blockStart = nil }
            } else {
                if blockStart == nil { blockStart = line.lowerBound }
                blockEnd = line.upperBound
            }
        }
        if let s = blockStart { blocks.append(s..<blockEnd) }
        return blocks
    }
}
