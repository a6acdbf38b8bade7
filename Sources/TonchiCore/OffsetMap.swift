/// Maps byte positions of a derived buffer (extracted or normalized text) back to the buffer it
/// was made from, so every excerpt in a report points at the original bytes.
///
/// The derived buffer is described as consecutive segments. An identity segment copies bytes one
/// to one; a replacement segment is atomic: any position inside it maps to the whole source range
/// (a composed letter, a decoded entity, a collapsed run of spaces). Text that needs no change
/// costs one segment, so the map stays small on ordinary pages.
public struct OffsetMap: Sendable, Equatable {
    private var derivedStarts: [Int] = []
    private var sourceStarts: [Int] = []
    private var sourceLengths: [Int] = []
    /// Length of each segment in the derived buffer; equal to the source length for identity.
    private var derivedLengths: [Int] = []
    private var identity: [Bool] = []
    public private(set) var derivedLength = 0
    /// Source position after the last segment; positions past the end map here.
    public private(set) var sourceEnd = 0

    public init() {}

    /// A map for a buffer that is its own source.
    public static func identity(length: Int) -> OffsetMap {
        var map = OffsetMap()
        map.appendIdentity(sourceStart: 0, length: length)
        return map
    }

    public var segmentCount: Int { derivedStarts.count }

    /// Appends `length` bytes copied unchanged from `sourceStart`.
    public mutating func appendIdentity(sourceStart: Int, length: Int) {
        guard length > 0 else { return }
        if let last = derivedStarts.indices.last, identity[last],
           sourceStarts[last] + sourceLengths[last] == sourceStart {
            sourceLengths[last] += length
            derivedLengths[last] += length
        } else {
            push(sourceStart: sourceStart, sourceLength: length, derivedLength: length, identity: true)
        }
        derivedLength += length
        sourceEnd = sourceStart + length
    }

    /// Appends `derivedLength` bytes that stand for the whole of `source` (may be empty on either side).
    public mutating func appendReplacement(derivedLength length: Int, source: Range<Int>) {
        if length == 0 {
            // Dropped source bytes (a zero-width space, a tag): nothing in the derived text points at them.
            sourceEnd = source.upperBound
            return
        }
        push(sourceStart: source.lowerBound, sourceLength: source.count, derivedLength: length, identity: false)
        derivedLength += length
        sourceEnd = source.upperBound
    }

    private mutating func push(sourceStart: Int, sourceLength: Int, derivedLength length: Int, identity isIdentity: Bool) {
        derivedStarts.append(derivedLength)
        sourceStarts.append(sourceStart)
        sourceLengths.append(sourceLength)
        derivedLengths.append(length)
        identity.append(isIdentity)
    }

    /// Index of the segment holding derived position `position` (which must be < derivedLength).
    private func segment(holding position: Int) -> Int {
        var low = 0, high = derivedStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if derivedStarts[mid] <= position { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The source byte range that produced the derived range. Atomic segments widen to their whole source.
    public func sourceRange(of derived: Range<Int>) -> Range<Int> {
        guard !derivedStarts.isEmpty else { return sourceEnd..<sourceEnd }
        let start = sourceStart(of: max(0, derived.lowerBound))
        if derived.isEmpty || derived.upperBound <= 0 { return start..<start }
        let end = sourceEnd(of: derived.upperBound)
        return start..<max(start, end)
    }

    private func sourceStart(of position: Int) -> Int {
        if position >= derivedLength { return sourceEnd }
        let i = segment(holding: position)
        return identity[i] ? sourceStarts[i] + (position - derivedStarts[i]) : sourceStarts[i]
    }

    private func sourceEnd(of position: Int) -> Int {
        if position <= 0 { return sourceStart(of: 0) }
        let i = segment(holding: min(position, derivedLength) - 1)
        if identity[i] { return sourceStarts[i] + (min(position, derivedLength) - derivedStarts[i]) }
        return sourceStarts[i] + sourceLengths[i]
    }

    /// The first derived position whose source is at or after `source` (used to carry scope ranges
    /// found in the source into a derived view). Assumes segments' source ends never decrease,
    /// which every stage guarantees by writing its output in source order.
    public func derivedPosition(forSource source: Int) -> Int {
        guard let i = segment(endingAfter: source) else { return derivedLength }
        if identity[i] && source > sourceStarts[i] {
            return derivedStarts[i] + (source - sourceStarts[i])
        }
        return derivedStarts[i]
    }

    /// Carries a source range into the derived buffer.
    /// Carries a source range into the derived buffer. A range ending inside an atomic segment
    /// takes the whole segment, so part of a composed letter or an entity is never lost.
    public func derivedRange(forSource range: Range<Int>) -> Range<Int> {
        let start = derivedPosition(forSource: range.lowerBound)
        var end = derivedPosition(forSource: range.upperBound)
        if let i = segment(endingAfter: range.upperBound), !identity[i], sourceStarts[i] < range.upperBound {
            end = max(end, derivedStarts[i] + derivedLengths[i])
        }
        return start..<max(start, end)
    }

    /// The first segment whose source end lies beyond `source`.
    private func segment(endingAfter source: Int) -> Int? {
        var low = 0, high = derivedStarts.count
        while low < high {
            let mid = (low + high) / 2
            if sourceStarts[mid] + sourceLengths[mid] <= source { low = mid + 1 } else { high = mid }
        }
        return low < derivedStarts.count ? low : nil
    }

    /// This map followed by `outer` (which maps this map's source to an earlier buffer): the
    /// result maps derived positions straight to `outer`'s source. Used when a stage runs on a
    /// decoded copy of the original bytes.
    public func composed(with outer: OffsetMap) -> OffsetMap {
        var result = OffsetMap()
        for i in derivedStarts.indices {
            let middle = sourceStarts[i]..<(sourceStarts[i] + sourceLengths[i])
            if identity[i] {
                // Copied bytes keep their exactness wherever `outer` copies them too.
                var position = middle.lowerBound
                while position < middle.upperBound {
                    let j = outer.segment(holding: position)
                    let end = min(middle.upperBound, outer.derivedStarts[j] + outer.derivedLengths[j])
                    if outer.identity[j] {
                        result.appendIdentity(sourceStart: outer.sourceStarts[j] + (position - outer.derivedStarts[j]), length: end - position)
                    } else {
                        result.appendReplacement(derivedLength: end - position, source: outer.sourceRange(of: position..<end))
                    }
                    position = end
                }
            } else {
                result.appendReplacement(derivedLength: derivedLengths[i], source: outer.sourceRange(of: middle))
            }
        }
        return result
    }
}
