#if canImport(Glibc)
import Glibc
#endif
import TonchiCore
import TonchiExtract

/// Turns original byte ranges into evidence: line and column, the excerpt, and some context, read
/// the way the page was decoded (a Windows-1258 page's excerpt is shown as text, not as raw bytes).
struct Locator {
    let document: ExtractedDocument
    var source: [UInt8] { document.source }
    /// Offsets where lines start, for line numbers without rescanning.
    private let lineStarts: [Int]
    var contextBytes = 80

    init(document: ExtractedDocument) {
        self.document = document
        var starts = [0]
        document.source.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var at = 0
            while at < bytes.count, let hit = memchr(base + at, 0x0A, bytes.count - at) {
                at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(at)
            }
        }
        lineStarts = starts
    }

    func span(_ range: Range<Int>, scope: String, selection: String, diacriticFree: Bool) -> Span {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= range.lowerBound { low = mid } else { high = mid - 1 }
        }
        let lineStart = lineStarts[low]
        // Columns count Unicode scalars: one per UTF-8 lead byte.
        let column = source[lineStart..<range.lowerBound].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        let before = boundary(max(0, range.lowerBound - contextBytes), forward: true)
        let after = boundary(min(source.count, range.upperBound + contextBytes), forward: false)
        return Span(start: range.lowerBound, end: range.upperBound, line: low + 1, column: column,
                    excerpt: excerpt(range), before: Self.display(document.sourceString(before..<range.lowerBound)),
                    after: Self.display(document.sourceString(range.upperBound..<after)), scope: scope, selection: selection,
                    diacriticFree: diacriticFree)
    }

    func excerpt(_ range: Range<Int>) -> String {
        document.sourceString(range)
    }

    /// Moves an offset off a UTF-8 continuation byte so context never splits a letter.
    private func boundary(_ offset: Int, forward: Bool) -> Int {
        var i = offset
        while i > 0 && i < source.count && source[i] & 0xC0 == 0x80 { i += forward ? 1 : -1 }
        return i
    }

    /// Context for display: runs of whitespace become one space (the bytes themselves are
    /// reported by offset, so nothing is lost).
    private static func display(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var lastWasSpace = false
        for byte in text.utf8 {
            let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
            if !isSpace || !lastWasSpace { out.append(isSpace ? 0x20 : byte) }
            lastWasSpace = isSpace
        }
        return String(decoding: out, as: UTF8.self)
    }
}
