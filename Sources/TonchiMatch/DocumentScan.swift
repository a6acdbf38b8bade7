import TonchiNormalize

/// Scans one document's views against a database, lazily: the literal pass runs once per view on
/// first use; each regex runs only when a condition asks for its selection, and only around the
/// places its literals were seen.
public final class DocumentScan {
    public struct Result: Sendable {
        public let hits: [Hit]
        /// Set when a regex hit its match or depth limit: the result may be missing matches.
        public let incomplete: String?
    }

    /// One view's literal pass: every accepted literal hit, grouped by pattern (sorted by pattern,
    /// then position), with the distinct patterns and where each group starts.
    private struct LiteralHits {
        var hits: [(pattern: Int, hit: Hit)] = []
        var patterns: [Int] = []
        var starts: [Int] = []

        subscript(pattern: Int) -> ArraySlice<(pattern: Int, hit: Hit)> {
            var low = 0, high = patterns.count
            while low < high {
                let mid = (low + high) / 2
                if patterns[mid] < pattern { low = mid + 1 } else { high = mid }
            }
            guard low < patterns.count, patterns[low] == pattern else { return [] }
            return hits[starts[low]..<(low + 1 < starts.count ? starts[low + 1] : hits.count)]
        }
    }

    private let database: MatchDatabase
    private let normalized: [UInt8]
    private let diacriticFree: [UInt8]?
    private let usePrefilter: Bool
    private let regions: [Range<Int>]?
    private var literalHits: [LiteralHits?] = [nil, nil]
    private var results: [Int: Result] = [:]

    /// `usePrefilter: false` runs every regex over every range in full (the reference the
    /// differential tests compare the prefiltered matcher against). `regions` (sorted, disjoint)
    /// limits the literal pass to the only text a caller will ask about.
    public init(database: MatchDatabase, normalized: [UInt8], diacriticFree: [UInt8]?, usePrefilter: Bool = true,
                regions: [Range<Int>]? = nil) {
        self.database = database
        self.normalized = normalized
        self.diacriticFree = diacriticFree
        self.usePrefilter = usePrefilter
        self.regions = regions
    }

    private func view(_ flag: Bool) -> [UInt8]? { flag ? diacriticFree : normalized }

    /// Hits of pattern `index` lying wholly inside one of `ranges` (sorted, disjoint, in view bytes).
    /// Memoized per pattern: a selection always asks with the same ranges.
    public func hits(pattern index: Int, in ranges: [Range<Int>]) -> Result {
        if let cached = results[index] { return cached }
        let spec = database.patterns[index]
        let result: Result
        if view(spec.diacriticFree) == nil {
            result = Result(hits: [], incomplete: "the diacritic-free view was not built")
        } else {
            switch spec.source {
            case .terms:
                let candidates = literalPass(diacriticFree: spec.diacriticFree)[index].map(\.hit)
                result = Result(hits: Self.longestNonOverlapping(candidates.filter { Self.contains(ranges, $0.range) }), incomplete: nil)
            case .regex(let pattern, let prefilter):
                result = runRegex(pattern, index: index, hasPrefilter: prefilter != nil, diacriticFree: spec.diacriticFree, ranges: ranges)
            }
        }
        results[index] = result
        return result
    }

    /// Patterns that may have hits: a term or regex literal was seen, or a regex has no literals
    /// (it must run everywhere). Triggers the literal pass on each view. Sorted.
    public func patternsWithCandidates() -> [Int] {
        var patterns = literalPass(diacriticFree: false).patterns
        if diacriticFree != nil { patterns += literalPass(diacriticFree: true).patterns }
        patterns += usePrefilter ? database.regexesWithoutLiterals : database.regexes
        return patterns.sorted()
    }

    private func literalPass(diacriticFree flag: Bool) -> LiteralHits {
        let slot = flag ? 1 : 0
        if let done = literalHits[slot] { return done }
        let table = database.automaton(diacriticFree: flag)
        var found = LiteralHits()
        view(flag)!.withUnsafeBufferPointer { text in
            for region in regions ?? [0..<text.count] {
                table.automaton.forEachMatch(in: UnsafeBufferPointer(rebasing: text[region])) { literal, regionEnd in
                    let end = region.lowerBound + regionEnd
                    let start = end - table.lengths[literal]
                    for owner in table.ownerList[table.ownerStarts[literal]..<table.ownerStarts[literal + 1]] {
                        if owner.isTerm {
                            if owner.checkStart && Vietnamese.isWordCharacter(before: start, in: text) { continue }
                            if owner.checkEnd && Vietnamese.isWordCharacter(at: end, in: text) { continue }
                        }
                        found.hits.append((owner.pattern, Hit(range: start..<end, weight: owner.weight)))
                    }
                }
            }
        }
        // Group by pattern, keeping text order inside a group: one sort of plain integer keys
        // (pattern, then the hit's place in the text-ordered list).
        var keys = found.hits.indices.map { UInt64(found.hits[$0].pattern) << 32 | UInt64($0) }
        keys.sort()
        found.hits = keys.map { found.hits[Int($0 & 0xFFFF_FFFF)] }
        for (i, entry) in found.hits.enumerated() where i == 0 || found.hits[i - 1].pattern != entry.pattern {
            found.patterns.append(entry.pattern)
            found.starts.append(i)
        }
        literalHits[slot] = found
        return found
    }

    private func runRegex(_ pattern: PCRE2Pattern, index: Int, hasPrefilter: Bool, diacriticFree: Bool, ranges: [Range<Int>]) -> Result {
        let candidates = hasPrefilter && usePrefilter ? literalPass(diacriticFree: diacriticFree)[index].map(\.hit) : nil
        var hits: [Hit] = []
        var incomplete: String?
        view(diacriticFree)!.withUnsafeBufferPointer { text in
            for range in ranges where !range.isEmpty {
                let subject = UnsafeBufferPointer(rebasing: text[range])
                let regions: [Range<Int>]
                if let candidates {
                    regions = Self.lineRegions(around: candidates.filter { range.contains($0.range.lowerBound) }.map(\.range),
                                               in: text, within: range)
                } else {
                    regions = [range]
                }
                for region in regions {
                    let starts = (region.lowerBound - range.lowerBound)..<(region.upperBound - range.lowerBound)
                    let found: [Range<Int>]
                    switch pattern.matches(in: subject, starts: starts) {
                    case .complete(let ranges): found = ranges
                    case .limitExceeded(let ranges, let reason):
                        found = ranges
                        incomplete = reason
                    }
                    hits += found.map { Hit(range: ($0.lowerBound + range.lowerBound)..<($0.upperBound + range.lowerBound), weight: 1) }
                }
            }
        }
        return Result(hits: hits, incomplete: incomplete)
    }

    /// The lines (within `bounds`) around each candidate, merged: regex matches are looked for
    /// where they can contain the literal, assuming a match spans at most one line break before it.
    static func lineRegions(around candidates: [Range<Int>], in text: UnsafeBufferPointer<UInt8>, within bounds: Range<Int>) -> [Range<Int>] {
        var regions: [Range<Int>] = []
        for candidate in candidates.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = regions.last, candidate.lowerBound < last.upperBound { continue }
            // From the start of the line before the literal's line: a match such as
            // `nhóm\s+phóng viên` may begin on the previous line of a wrapped paragraph.
            var start = candidate.lowerBound, lineBreaks = 0
            while start > bounds.lowerBound {
                if text[start - 1] == 0x0A { lineBreaks += 1; if lineBreaks == 2 { break } }
                start -= 1
            }
            var end = candidate.upperBound
            while end < bounds.upperBound && text[end] != 0x0A { end += 1 }
            if let last = regions.last, start <= last.upperBound {
                regions[regions.count - 1] = last.lowerBound..<end
            } else {
                regions.append(start..<end)
            }
        }
        return regions
    }

    static func contains(_ ranges: [Range<Int>], _ r: Range<Int>) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < r.upperBound { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].lowerBound <= r.lowerBound && r.upperBound <= ranges[low].upperBound
    }

    /// Terms of one list may overlap ("phóng viên" inside "nhóm phóng viên"): count each place once,
    /// leftmost first, longest at a tie.
    static func longestNonOverlapping(_ hits: [Hit]) -> [Hit] {
        let sorted = hits.sorted { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.range.count > $1.range.count }
        var kept: [Hit] = []
        for hit in sorted where kept.last.map({ hit.range.lowerBound >= $0.range.upperBound }) ?? true {
            kept.append(hit)
        }
        return kept
    }
}
