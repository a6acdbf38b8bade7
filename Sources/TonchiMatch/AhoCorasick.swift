/// All occurrences (overlapping too) of many byte strings in one pass.
///
/// A byte-level DFA: the trie's missing edges are filled in from the failure links, so each text
/// byte costs one table load. Bytes that occur in no pattern share one class, and the others get
/// a class each, which keeps rows short (~100 columns on folded Vietnamese instead of 256).
/// Matching states are numbered first, so "is this a match?" is a single compare.
public struct AhoCorasick: Sendable {
    public let patternCount: Int
    /// Byte → class.
    private let classOf: [UInt8]
    private let classCount: Int
    /// Next state, premultiplied by `classCount`: row of state s starts at s (already × classCount).
    private let table: [Int32]
    /// Premultiplied ids below this are matching states.
    private let matchBound: Int32
    private let startState: Int32
    /// For matching state k (= id / classCount): outputs[outputStart[k]..<outputStart[k+1]] are
    /// all patterns ending there, including those reached by dictionary suffix links.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Byte length of each pattern, so callers can find where a match began.
    public let patternLengths: [Int]
    private let maxPatternLength: Int
    /// ceil(2^40 / classCount): state ids are exact multiples of classCount, so a multiply and a
    /// shift recover the state number without a division (match states only; ids < 2^31).
    private let stateReciprocal: UInt64

    /// Pattern id = index; empty patterns never match.
    public init(patterns: [[UInt8]]) {
        patternCount = patterns.count
        patternLengths = patterns.map(\.count)
        maxPatternLength = patternLengths.max() ?? 0

        var used = [Bool](repeating: false, count: 256)
        for p in patterns { for b in p { used[Int(b)] = true } }
        var classOf = [UInt8](repeating: 0, count: 256)
        var classes = used.contains(false) ? 1 : 0  // class 0: every byte no pattern uses
        for b in 0..<256 where used[b] {
            classOf[b] = UInt8(classes)
            classes += 1
        }
        classes = max(classes, 1)
        let C = classes

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

        var table = [Int32](repeating: 0, count: stateCount * C)
        var outputStart = [Int32](repeating: 0, count: matchingCount + 1)
        var outputs: [Int32] = []
        var byNew = [Int](repeating: 0, count: matchingCount)
        for s in 0..<stateCount {
            let row = Int(newId[s]) * C
            for c in 0..<C { table[row + c] = newId[Int(trie[s * C + c])] * Int32(C) }
            if !out[s].isEmpty { byNew[Int(newId[s])] = s }
        }
        for k in 0..<matchingCount {
            outputs.append(contentsOf: out[byNew[k]])
            outputStart[k + 1] = Int32(outputs.count)
        }

        self.classOf = classOf
        self.classCount = C
        self.stateReciprocal = ((UInt64(1) << 40) + UInt64(C) - 1) / UInt64(C)
        self.table = table
        self.matchBound = Int32(matchingCount * C)
        self.startState = newId[0] * Int32(C)
        self.outputStart = outputStart
        self.outputs = outputs
    }

    /// Number of DFA states (for sizing reports).
    public var stateCount: Int { table.count / classCount }
    /// Number of byte classes (columns of the transition table).
    public var byteClassCount: Int { classCount }

    /// Calls `body` for every occurrence, in order of end position; `end` is exclusive.
    /// Several patterns ending at one position come in no promised order.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (_ pattern: Int, _ end: Int) -> Void) {
        guard matchBound > 0, let bytes = text.baseAddress else { return }
        let n = text.count
        table.withUnsafeBufferPointer { tbl in
            classOf.withUnsafeBufferPointer { cls in
                outputStart.withUnsafeBufferPointer { starts in
                    outputs.withUnsafeBufferPointer { outs in
                        let t = tbl.baseAddress!, k = cls.baseAddress!
                        let bound = matchBound, reciprocal = stateReciprocal
                        func report(_ state: Int32, _ end: Int, _ sink: (Int, Int) -> Void) {
                            let m = Int((UInt64(UInt32(bitPattern: state)) &* reciprocal) >> 40)
                            for j in Int(starts[m])..<Int(starts[m + 1]) { sink(Int(outs[j]), end) }
                        }
                        // One DFA walk is bound by load latency, so a long text is cut into lanes
                        // walked in lockstep. Lane j > 0 starts `warmUp` bytes before its own part:
                        // no state is deeper than the longest pattern, so by the part's start its
                        // state is the true one; it reports only matches ending inside its part.
                        let warmUp = maxPatternLength
                        let lanes = n >= 16 * max(warmUp, 64) ? 4 : (n >= 8 * max(warmUp, 64) ? 2 : 1)
                        if lanes == 1 {
                            var i = 0, s = startState
                            while true {
                                i = Self.scan(t, k, bytes, i, n, &s, bound)
                                if i > n { return }
                                report(s, i, body)
                            }
                        }
                        var partStart = [Int](repeating: 0, count: lanes + 1)
                        for j in 0...lanes { partStart[j] = n * j / lanes }
                        var pos = [Int](repeating: 0, count: lanes)
                        var state = [Int32](repeating: startState, count: lanes)
                        for j in 1..<lanes { pos[j] = partStart[j] - warmUp }
                        // Matches of lanes > 0 found in lockstep wait (as state, end pairs) until
                        // the lanes before them are done, so `body` still sees ends in order.
                        var held = [[Int]](repeating: [], count: lanes)
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * Self.eventCapacity) { events in
                            let ev = events.baseAddress!
                            while true {
                                var steps = Int.max
                                for j in 0..<lanes { steps = min(steps, partStart[j + 1] - pos[j]) }
                                if steps == 0 { break }
                                let count = lanes == 4
                                    ? Self.scan4(t, k, bytes, &pos, &state, steps, bound, ev)
                                    : Self.scan2(t, k, bytes, &pos, &state, steps, bound, ev)
                                var e = 0
                                while e < count {
                                    let lane = ev[e] >> 32, s = Int32(truncatingIfNeeded: ev[e]), end = ev[e + 1]
                                    e += 2
                                    if end <= partStart[lane] { continue }  // still warming up
                                    if lane == 0 { report(s, end, body) } else { held[lane].append(Int(s)); held[lane].append(end) }
                                }
                            }
                        }
                        for j in 0..<lanes {
                            var h = 0
                            while h < held[j].count { report(Int32(held[j][h]), held[j][h + 1], body); h += 2 }
                            var i = pos[j], s = state[j]
                            let end = partStart[j + 1]
                            while true {
                                i = Self.scan(t, k, bytes, i, end, &s, bound)
                                if i > end { break }
                                if i > partStart[j] { report(s, i, body) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Match events one lockstep call may record before returning.
    private static let eventCapacity = 256

    /// Four lanes in lockstep for `steps` bytes at most. Entering a matching state records an
    /// event (lane << 32 | state, end) in `ev` instead of leaving the loop; returns the number
    /// of Ints written, stopping early only when `ev` is nearly full.
    @inline(__always)
    private static func scan4(_ t: UnsafePointer<Int32>, _ k: UnsafePointer<UInt8>, _ bytes: UnsafePointer<UInt8>,
                              _ pos: inout [Int], _ state: inout [Int32], _ steps: Int, _ bound: Int32,
                              _ ev: UnsafeMutablePointer<Int>) -> Int {
        var a = Int(state[0]), b = Int(state[1]), c = Int(state[2]), d = Int(state[3])
        let q0 = pos[0], q1 = pos[1], q2 = pos[2], q3 = pos[3]
        let p0 = bytes + q0, p1 = bytes + q1, p2 = bytes + q2, p3 = bytes + q3
        let limit = Int(bound)
        let full = 2 * eventCapacity - 8
        var r = 0, e = 0
        while r < steps {
            a = Int(t[a &+ Int(k[Int(p0[r])])])
            b = Int(t[b &+ Int(k[Int(p1[r])])])
            c = Int(t[c &+ Int(k[Int(p2[r])])])
            d = Int(t[d &+ Int(k[Int(p3[r])])])
            r &+= 1
            if min(min(a, b), min(c, d)) < limit {
                if a < limit { ev[e] = a; ev[e &+ 1] = q0 &+ r; e &+= 2 }
                if b < limit { ev[e] = b | (1 << 32); ev[e &+ 1] = q1 &+ r; e &+= 2 }
                if c < limit { ev[e] = c | (2 << 32); ev[e &+ 1] = q2 &+ r; e &+= 2 }
                if d < limit { ev[e] = d | (3 << 32); ev[e &+ 1] = q3 &+ r; e &+= 2 }
                if e > full { break }
            }
        }
        pos[0] = q0 &+ r; pos[1] = q1 &+ r; pos[2] = q2 &+ r; pos[3] = q3 &+ r
        state[0] = Int32(truncatingIfNeeded: a)
        state[1] = Int32(truncatingIfNeeded: b)
        state[2] = Int32(truncatingIfNeeded: c)
        state[3] = Int32(truncatingIfNeeded: d)
        return e
    }

    /// Two lanes; see `scan4`.
    @inline(__always)
    private static func scan2(_ t: UnsafePointer<Int32>, _ k: UnsafePointer<UInt8>, _ bytes: UnsafePointer<UInt8>,
                              _ pos: inout [Int], _ state: inout [Int32], _ steps: Int, _ bound: Int32,
                              _ ev: UnsafeMutablePointer<Int>) -> Int {
        var a = Int(state[0]), b = Int(state[1])
        let q0 = pos[0], q1 = pos[1]
        let p0 = bytes + q0, p1 = bytes + q1
        let limit = Int(bound)
        let full = 2 * eventCapacity - 4
        var r = 0, e = 0
        while r < steps {
            a = Int(t[a &+ Int(k[Int(p0[r])])])
            b = Int(t[b &+ Int(k[Int(p1[r])])])
            r &+= 1
            if min(a, b) < limit {
                if a < limit { ev[e] = a; ev[e &+ 1] = q0 &+ r; e &+= 2 }
                if b < limit { ev[e] = b | (1 << 32); ev[e &+ 1] = q1 &+ r; e &+= 2 }
                if e > full { break }
            }
        }
        pos[0] = q0 &+ r; pos[1] = q1 &+ r
        state[0] = Int32(truncatingIfNeeded: a)
        state[1] = Int32(truncatingIfNeeded: b)
        return e
    }

    /// The hot loop, kept free of calls so the state stays in a register: runs the DFA from
    /// `i` until it enters a matching state and returns the position after that byte (with
    /// `state` updated), or end + 1 when `end` comes first.
    @inline(__always)
    private static func scan(_ t: UnsafePointer<Int32>, _ k: UnsafePointer<UInt8>, _ bytes: UnsafePointer<UInt8>,
                             _ from: Int, _ end: Int, _ state: inout Int32, _ bound: Int32) -> Int {
        var s = Int(state)
        var i = from
        let b = Int(bound)
        while i < end {
            s = Int(t[s &+ Int(k[Int(bytes[i])])])
            i &+= 1
            if s < b { state = Int32(truncatingIfNeeded: s); return i }
        }
        state = Int32(truncatingIfNeeded: s)
        return end &+ 1
    }

    /// Convenience over a byte array.
    public func forEachMatch(in text: [UInt8], _ body: (_ pattern: Int, _ end: Int) -> Void) {
        text.withUnsafeBufferPointer { forEachMatch(in: $0, body) }
    }
}
