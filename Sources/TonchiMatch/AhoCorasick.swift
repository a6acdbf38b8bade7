/// All occurrences (overlapping too) of many byte strings in one pass.
///
/// A byte-level DFA: the trie's missing edges are filled in from the failure links, so each text
/// byte costs one table load. Bytes that occur in no pattern share one class, and the others get
/// a class each, which keeps rows short (~70 columns on folded Vietnamese instead of 256).
/// Matching states are numbered first, so "is this a match?" is a single compare. Outputs
/// (including those inherited through suffix links) sit in one flat array per automaton.
/// Immutable after init, so one value can be scanned from many threads at once.
public struct AhoCorasick: Sendable {
    public let patternCount: Int
    /// Byte → class.
    private let classOf: [UInt8]
    private let classCount: Int
    /// Next state, premultiplied by `classCount`: row of state s starts at s (already × classCount).
    /// Empty when `compactTable` is used.
    private let table: [Int32]
    /// Next state number (not premultiplied) in half the space, used for automata of at most
    /// 65,536 states whose Int32 table would not fit in cache: one multiply per byte costs less
    /// than the cache misses it saves. Empty when `table` is used.
    private let compactTable: [UInt16]
    /// States (premultiplied in `table`, plain in `compactTable`) below this are matching.
    private let matchBound: Int32
    private let startState: Int32
    /// Number of DFA states (for sizing reports).
    public let stateCount: Int
    /// For matching state k (= id / classCount): outputs[outputStart[k]..<outputStart[k+1]] are
    /// all patterns ending there, including those reached by dictionary suffix links.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Byte length of each pattern, so callers can find where a match began.
    public let patternLengths: [Int]
    private let maxPatternLength: Int
    /// ceil(2^32 / classCount): premultiplied ids are exact multiples of classCount below 2^31,
    /// so a multiply and a shift recover the state number exactly, without a division.
    private let stateReciprocal: UInt64

    /// Pattern id = index; empty patterns never match. `equivalents` lets a text byte stand for
    /// another (e.g. a line break for a space, so a phrase still matches across a wrapped line);
    /// it applies only to bytes no pattern contains.
    public init(patterns: [[UInt8]], equivalents: [(byte: UInt8, standsFor: UInt8)] = []) {
        self.init(patterns: patterns, compact: nil, equivalents: equivalents)
    }

    /// `compact` forces the table layout (tests cover both); nil chooses by size.
    init(patterns: [[UInt8]], compact forced: Bool?, equivalents: [(byte: UInt8, standsFor: UInt8)] = []) {
        patternCount = patterns.count
        patternLengths = patterns.map(\.count)
        maxPatternLength = patternLengths.max() ?? 0

        var frequency = [Int](repeating: 0, count: 256)
        for p in patterns { for b in p { frequency[Int(b)] += 1 } }
        var classOf = [UInt8](repeating: 0, count: 256)
        var classes = frequency.contains(0) ? 1 : 0  // class 0: every byte no pattern uses
        // Frequent bytes get the first columns, so a state's busy transitions share cache lines.
        let byFrequency = (0..<256).filter { frequency[$0] > 0 }.sorted { (frequency[$0], $1) > (frequency[$1], $0) }
        for b in byFrequency {
            classOf[b] = UInt8(classes)
            classes += 1
        }
        classes = max(classes, 1)
        let C = classes
        for (byte, target) in equivalents where frequency[Int(byte)] == 0 {
            classOf[Int(byte)] = classOf[Int(target)]
        }

        // Trie; -1 = no edge yet.
        var trie = [Int32](repeating: -1, count: C)
        var own: [[Int32]] = [[]]
        for (id, p) in patterns.enumerated() where !p.isEmpty {
            var s = 0
            for b in p {
                let slot = s * C + Int(classOf[Int(b)])
                if trie[slot] < 0 {
                    let t = own.count
                    precondition((t + 1) * C <= Int(Int32.max), "AhoCorasick: too many states")
                    trie[slot] = Int32(t)
                    trie.append(contentsOf: repeatElement(-1, count: C))
                    own.append([])
                }
                s = Int(trie[slot])
            }
            own[s].append(Int32(id))
        }
        let stateCount = own.count

        // Breadth-first: a state's failure target is shallower, so its row is complete already.
        var fail = [Int32](repeating: 0, count: stateCount)
        var out = [[Int32]](repeating: [], count: stateCount)
        var queue: [Int32] = []
        queue.reserveCapacity(stateCount)
        for c in 0..<C {
            let t = trie[c]
            if t < 0 { trie[c] = 0 } else { fail[Int(t)] = 0; queue.append(t) }
        }
        var head = 0
        while head < queue.count {
            let s = Int(queue[head]); head += 1
            let f = Int(fail[s])
            out[s] = own[s] + out[f]
            for c in 0..<C {
                let t = trie[s * C + c]
                if t < 0 {
                    trie[s * C + c] = trie[f * C + c]
                } else {
                    fail[Int(t)] = trie[f * C + c]
                    queue.append(t)
                }
            }
        }

        // Renumber: matching states first (in BFS order), then the rest.
        var newId = [Int32](repeating: 0, count: stateCount)
        var matchingCount = 0
        for s in 0..<stateCount where !out[s].isEmpty { newId[s] = Int32(matchingCount); matchingCount += 1 }
        var next = matchingCount
        for s in 0..<stateCount where out[s].isEmpty { newId[s] = Int32(next); next += 1 }

        let compact = stateCount <= 65536 && (forced ?? (stateCount * C * 4 > AhoCorasick.compactAbove))
        var table = [Int32](repeating: 0, count: compact ? 0 : stateCount * C)
        var compactTable = [UInt16](repeating: 0, count: compact ? stateCount * C : 0)
        var outputStart = [Int32](repeating: 0, count: matchingCount + 1)
        var outputs: [Int32] = []
        var byNew = [Int](repeating: 0, count: matchingCount)
        for s in 0..<stateCount {
            let row = Int(newId[s]) * C
            if compact {
                for c in 0..<C { compactTable[row + c] = UInt16(newId[Int(trie[s * C + c])]) }
            } else {
                for c in 0..<C { table[row + c] = newId[Int(trie[s * C + c])] * Int32(C) }
            }
            if !out[s].isEmpty { byNew[Int(newId[s])] = s }
        }
        for k in 0..<matchingCount {
            outputs.append(contentsOf: out[byNew[k]])
            outputStart[k + 1] = Int32(outputs.count)
        }

        self.classOf = classOf
        self.classCount = C
        self.stateReciprocal = ((UInt64(1) << 32) + UInt64(C) - 1) / UInt64(C)
        self.table = table
        self.compactTable = compactTable
        self.stateCount = stateCount
        self.matchBound = Int32(compact ? matchingCount : matchingCount * C)
        self.startState = compact ? newId[0] : newId[0] * Int32(C)
        self.outputStart = outputStart
        self.outputs = outputs
    }

    /// Int32 tables larger than this switch to the 16-bit layout when the state count allows.
    static let compactAbove = 256 * 1024
    /// Whether the 16-bit table layout is in use.
    var usesCompactTable: Bool { !compactTable.isEmpty }

    /// Number of byte classes (columns of the transition table).
    public var byteClassCount: Int { classCount }

    /// Calls `body` for every occurrence, in order of end position; `end` is exclusive.
    /// Several patterns ending at one position come in no promised order.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (_ pattern: Int, _ end: Int) -> Void) {
        guard matchBound > 0, let bytes = text.baseAddress, text.count > 0 else { return }
        classOf.withUnsafeBufferPointer { cls in
            outputStart.withUnsafeBufferPointer { starts in
                outputs.withUnsafeBufferPointer { outs in
                    if compactTable.isEmpty {
                        table.withUnsafeBufferPointer { tbl in
                            Walker(table: tbl.baseAddress!, stride: 1, classOf: cls.baseAddress!, bytes: bytes,
                                   bound: Int(matchBound), outputStart: starts.baseAddress!,
                                   outputs: outs.baseAddress!, reciprocal: stateReciprocal)
                                .run(count: text.count, warmUp: maxPatternLength, start: Int(startState), body)
                        }
                    } else {
                        compactTable.withUnsafeBufferPointer { tbl in
                            Walker(table: tbl.baseAddress!, stride: classCount, classOf: cls.baseAddress!, bytes: bytes,
                                   bound: Int(matchBound), outputStart: starts.baseAddress!,
                                   outputs: outs.baseAddress!, reciprocal: 0)
                                .run(count: text.count, warmUp: maxPatternLength, start: Int(startState), body)
                        }
                    }
                }
            }
        }
    }

    /// Convenience over a byte array.
    public func forEachMatch(in text: [UInt8], _ body: (_ pattern: Int, _ end: Int) -> Void) {
        text.withUnsafeBufferPointer { forEachMatch(in: $0, body) }
    }
}

/// The scanning loops over raw pointers, so the hot loops hold their state in registers.
private struct Walker<Entry: FixedWidthInteger> {
    let table: UnsafePointer<Entry>
    /// Row length for plain state numbers; unused (1) when entries are premultiplied.
    let stride: Int
    let classOf: UnsafePointer<UInt8>
    let bytes: UnsafePointer<UInt8>
    let bound: Int
    let outputStart: UnsafePointer<Int32>
    let outputs: UnsafePointer<Int32>
    let reciprocal: UInt64

    /// Match events one lockstep call may record before it returns.
    static var eventCapacity: Int { 256 }

    /// Whether entries are plain state numbers (16-bit table) rather than premultiplied.
    @inline(__always) var plain: Bool { Entry.bitWidth == 16 }

    @inline(__always)
    func next(_ s: Int, _ byte: UInt8) -> Int {
        let c = Int(classOf[Int(byte)])
        return plain ? Int(table[s &* stride &+ c]) : Int(table[s &+ c])
    }

    @inline(__always)
    func report(_ state: Int, _ end: Int, _ body: (Int, Int) -> Void) {
        let m = plain ? state : Int((UInt64(UInt32(truncatingIfNeeded: state)) &* reciprocal) >> 32)
        var j = Int(outputStart[m])
        let last = Int(outputStart[m &+ 1])
        while j < last { body(Int(outputs[j]), end); j &+= 1 }
    }

    /// One DFA walk is bound by load latency, so a long text is cut into lanes walked in
    /// lockstep. Lane j > 0 starts `warmUp` bytes before its own part: no state is deeper than
    /// the longest pattern, so by the part's start its state is the true one, and it reports
    /// only matches ending inside its part.
    func run(count n: Int, warmUp: Int, start: Int, _ body: (Int, Int) -> Void) {
        let lanes = n >= max(12 * warmUp, 512) ? 4 : (n >= max(4 * warmUp, 128) ? 2 : 1)
        if lanes == 1 {
            var state = start
            walk(from: 0, to: n, state: &state, reportAfter: 0, body)
            return
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 16 + 2 * Self.eventCapacity) { buffer in
            let b = buffer.baseAddress!
            let partStart = b, pos = b + 5, state = b + 9, events = b + 16
            for j in 0...lanes { partStart[j] = n * j / lanes }
            for j in 0..<lanes {
                pos[j] = j == 0 ? 0 : partStart[j] - warmUp
                state[j] = start
            }
            // Lockstep matches of lanes > 0 wait here as (lane, state, end) until the lanes
            // before them are done, so `body` still sees ends in order.
            var held: [Int] = []
            while true {
                var steps = Int.max
                for j in 0..<lanes { steps = min(steps, partStart[j + 1] - pos[j]) }
                if steps == 0 { break }
                let written = lanes == 4 ? scan4(pos, state, steps, events) : scan2(pos, state, steps, events)
                var e = 0
                while e < written {
                    let lane = events[e] >> 32, s = events[e] & 0xFFFF_FFFF, end = events[e + 1]
                    e += 2
                    if end <= partStart[lane] { continue }  // still warming up
                    if lane == 0 { report(s, end, body) } else { held.append(lane); held.append(s); held.append(end) }
                }
            }
            for j in 0..<lanes {
                var h = 0
                while h < held.count {
                    if held[h] == j { report(held[h + 1], held[h + 2], body) }
                    h += 3
                }
                var s = state[j]
                walk(from: pos[j], to: partStart[j + 1], state: &s, reportAfter: partStart[j], body)
            }
        }
    }

    /// A single walk over from..<end, reporting matches that end after `reportAfter`.
    @inline(__always)
    func walk(from: Int, to end: Int, state: inout Int, reportAfter: Int, _ body: (Int, Int) -> Void) {
        var i = from
        while true {
            i = scan(i, end, &state)
            if i > end { return }
            if i > reportAfter { report(state, i, body) }
        }
    }

    /// The hot loop, kept free of calls: runs the DFA from `i` until it enters a matching state
    /// and returns the position after that byte (with `state` updated), or end + 1.
    @inline(__always)
    func scan(_ from: Int, _ end: Int, _ state: inout Int) -> Int {
        let p = bytes, limit = bound
        var s = state
        var i = from
        while i < end {
            s = next(s, p[i])
            i &+= 1
            if s < limit { state = s; return i }
        }
        state = s
        return end &+ 1
    }

    /// Four lanes in lockstep for `steps` bytes at most. Entering a matching state records an
    /// event (lane << 32 | state, end) in `ev` rather than leaving the loop; returns the number
    /// of Ints written, stopping early only when `ev` is nearly full.
    @inline(__always)
    func scan4(_ pos: UnsafeMutablePointer<Int>, _ state: UnsafeMutablePointer<Int>, _ steps: Int,
               _ ev: UnsafeMutablePointer<Int>) -> Int {
        let limit = bound
        var a = state[0], b = state[1], c = state[2], d = state[3]
        let q0 = pos[0], q1 = pos[1], q2 = pos[2], q3 = pos[3]
        let p0 = bytes + q0, p1 = bytes + q1, p2 = bytes + q2, p3 = bytes + q3
        let full = 2 * Self.eventCapacity - 8
        var r = 0, e = 0
        while r < steps {
            a = next(a, p0[r])
            b = next(b, p1[r])
            c = next(c, p2[r])
            d = next(d, p3[r])
            r &+= 1
            if min(min(a, b), min(c, d)) < limit {
                // Branch-free: every lane writes, only matching lanes advance `e`.
                ev[e] = a; ev[e &+ 1] = q0 &+ r; e &+= ((a &- limit) >> 63) & 2
                ev[e] = b | (1 << 32); ev[e &+ 1] = q1 &+ r; e &+= ((b &- limit) >> 63) & 2
                ev[e] = c | (2 << 32); ev[e &+ 1] = q2 &+ r; e &+= ((c &- limit) >> 63) & 2
                ev[e] = d | (3 << 32); ev[e &+ 1] = q3 &+ r; e &+= ((d &- limit) >> 63) & 2
                if e > full { break }
            }
        }
        pos[0] = q0 &+ r; pos[1] = q1 &+ r; pos[2] = q2 &+ r; pos[3] = q3 &+ r
        state[0] = a; state[1] = b; state[2] = c; state[3] = d
        return e
    }

    /// Two lanes; see `scan4`.
    @inline(__always)
    func scan2(_ pos: UnsafeMutablePointer<Int>, _ state: UnsafeMutablePointer<Int>, _ steps: Int,
               _ ev: UnsafeMutablePointer<Int>) -> Int {
        let limit = bound
        var a = state[0], b = state[1]
        let q0 = pos[0], q1 = pos[1]
        let p0 = bytes + q0, p1 = bytes + q1
        let full = 2 * Self.eventCapacity - 4
        var r = 0, e = 0
        while r < steps {
            a = next(a, p0[r])
            b = next(b, p1[r])
            r &+= 1
            if min(a, b) < limit {
                ev[e] = a; ev[e &+ 1] = q0 &+ r; e &+= ((a &- limit) >> 63) & 2
                ev[e] = b | (1 << 32); ev[e &+ 1] = q1 &+ r; e &+= ((b &- limit) >> 63) & 2
                if e > full { break }
            }
        }
        pos[0] = q0 &+ r; pos[1] = q1 &+ r
        state[0] = a; state[1] = b
        return e
    }
}
