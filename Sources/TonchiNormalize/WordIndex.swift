/// Word positions in a normalized buffer (a word = maximal run of word scalars), for densities
/// per 1,000 words, "in the first N words" and "a near b within N words".
public struct WordIndex: Sendable {
    private var starts: [Int] = []
    /// Exclusive end of each word, parallel to `starts`.
    private var ends: [Int] = []

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0, inWord = false
        let n = bytes.count
        starts.reserveCapacity(n / 6)
        ends.reserveCapacity(n / 6)
        while i < n {
            let b = bytes[i]
            let isWord: Bool, length: Int
            if b < 0x80 {
                isWord = Vietnamese.asciiWord(b); length = 1
            } else {
                let (s, l) = Vietnamese.scalar(at: i, in: bytes)
                isWord = Vietnamese.isWord(s); length = l
            }
            if isWord != inWord {
                if isWord { starts.append(i) } else { ends.append(i) }
                inWord = isWord
            }
            i += length
        }
        if inWord { ends.append(n) }
    }

    public var count: Int { starts.count }

    /// Index of the word containing or following the offset (== count if none).
    public func ordinal(ofWordAtOrAfter byteOffset: Int) -> Int {
        // First word whose end lies beyond the offset.
        var low = 0, high = ends.count
        while low < high {
            let mid = (low + high) / 2
            if ends[mid] <= byteOffset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Words whose start lies in the range.
    public func count(in byteRange: Range<Int>) -> Int {
        firstStart(atOrAfter: byteRange.upperBound) - firstStart(atOrAfter: byteRange.lowerBound)
    }

    private func firstStart(atOrAfter offset: Int) -> Int {
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
