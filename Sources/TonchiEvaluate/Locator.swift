import TonchiCore

/// Turns original byte ranges into evidence: line and column, the excerpt, and some context.
struct Locator {
    let source: [UInt8]
    /// Offsets where lines start, for line numbers without rescanning.
    private let lineStarts: [Int]
    var contextBytes = 80

    init(source: [UInt8]) {
        self.source = source
        var starts = [0]
        for (i, b) in source.enumerated() where b == 0x0A { starts.append(i + 1) }
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
                    excerpt: excerpt(range), before: Self.display(source[before..<range.lowerBound]),
                    after: Self.display(source[range.upperBound..<after]), scope: scope, selection: selection,
                    diacriticFree: diacriticFree)
    }

    func excerpt(_ range: Range<Int>) -> String {
        String(decoding: source[range.clamped(to: 0..<source.count)], as: UTF8.self)
    }

    /// Moves an offset off a UTF-8 continuation byte so context never splits a letter.
    private func boundary(_ offset: Int, forward: Bool) -> Int {
        var i = offset
        while i > 0 && i < source.count && source[i] & 0xC0 == 0x80 { i += forward ? 1 : -1 }
        return i
    }

    /// Context for display: runs of ASCII whitespace become one space (the bytes themselves are
    /// reported by offset, so nothing is lost).
    private static func display(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lastWasSpace = false
        for b in bytes {
            let isSpace = b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
            if isSpace {
                if !lastWasSpace { out.append(0x20) }
            } else {
                out.append(b)
            }
            lastWasSpace = isSpace
        }
        return String(decoding: out, as: UTF8.self)
    }
}
