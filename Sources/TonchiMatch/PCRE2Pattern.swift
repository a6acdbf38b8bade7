import CPCRE2
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A PCRE2 pattern compiled once with UTF | UCP (so \b and \w know Vietnamese letters) and JIT.
///
/// The subject handed to `matches` must be valid UTF-8 (the normalizer guarantees it): matching
/// passes PCRE2_NO_UTF_CHECK, because otherwise PCRE2 re-validates the whole subject on every
/// call, which is quadratic when iterating over many matches.
public final class PCRE2Pattern: @unchecked Sendable {
    public struct CompileError: Error, Sendable, CustomStringConvertible {
        public let message: String
        /// Byte offset in the pattern where PCRE2 gave up.
        public let patternOffset: Int
        public let code: Int32

        public var description: String { "\(message) (at byte \(patternOffset), code \(code))" }
    }

    public struct Limits: Sendable, Equatable {
        /// PCRE2 match limit: bounds the backtracking work spent finding one match (JIT and
        /// interpreter).
        public var matchLimit: UInt32
        /// PCRE2 depth limit: bounds backtracking depth, hence heap use, of the interpreter (JIT
        /// code is bounded by its 1 MiB stack instead).
        public var depthLimit: UInt32

        public init(matchLimit: UInt32, depthLimit: UInt32) {
            self.matchLimit = matchLimit
            self.depthLimit = depthLimit
        }

        /// Far below PCRE2's defaults (10M / 10M): a rule pattern that needs more than this on
        /// one article is pathological, and we would rather report it than stall a scan.
        public static let standard = Limits(matchLimit: 1_000_000, depthLimit: 100_000)
    }

    public enum Outcome: Sendable, Equatable {
        case complete([Range<Int>])
        /// Matching stopped early; the ranges are those found before the limit was hit.
        case limitExceeded([Range<Int>], reason: String)

        public var ranges: [Range<Int>] {
            switch self {
            case .complete(let r), .limitExceeded(let r, _): return r
            }
        }
    }

    public let pattern: String
    private let code: OpaquePointer
    public let isJITCompiled: Bool
    /// PCRE2_INFO_MINLENGTH, in characters; 0 means the pattern can match empty text.
    public let minimumMatchLength: Int
    private let pool = ScratchPool()

    public init(_ pattern: String, caseless: Bool = true, multiline: Bool = true) throws {
        self.pattern = pattern
        // USE_OFFSET_LIMIT lets one call stop looking for a start past `starts.upperBound`
        // instead of scanning the rest of the subject. \C could end a match inside a character,
        // and the next search would then start there with the UTF check off: refuse it.
        var options: UInt32 = PCRE2_UTF | PCRE2_UCP | PCRE2_USE_OFFSET_LIMIT | PCRE2_NEVER_BACKSLASH_C
        if caseless { options |= PCRE2_CASELESS }
        if multiline { options |= PCRE2_MULTILINE }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let utf8 = Array(pattern.utf8)
        let compiled: OpaquePointer? = utf8.withUnsafeBufferPointer { buf in
            // A non-nil pointer even for an empty pattern (PCRE2 rejects NULL with length 0 in old versions).
            var dummy: UInt8 = 0
            if buf.count == 0 {
                return pcre2_compile_8(&dummy, 0, options, &errorCode, &errorOffset, nil)
            }
            return pcre2_compile_8(buf.baseAddress, buf.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw CompileError(message: PCRE2Pattern.errorMessage(errorCode),
                               patternOffset: errorOffset, code: errorCode)
        }
        code = compiled
        // JIT can fail (unsupported platform, out of executable memory); the interpreter still works.
        isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        var minLength: UInt32 = 0
        if pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_MINLENGTH), &minLength) == 0 {
            minimumMatchLength = Int(minLength)
        } else {
            minimumMatchLength = 0
        }
    }

    deinit {
        pool.drain()
        pcre2_code_free_8(code)
    }

    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, $0.count) }
        guard n > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(n)], as: UTF8.self)
    }

    /// All non-overlapping matches whose start lies in `starts` (a match may run past
    /// starts.upperBound up to the end of `subject`). Text before `starts` is still visible to
    /// lookbehind and \b. Safe to call from many threads at once.
    public func matches(in subject: UnsafeBufferPointer<UInt8>, starts: Range<Int>,
                        limits: Limits = .standard) -> Outcome {
        guard let base = subject.baseAddress else {
            // PCRE2 reads nothing when the length is 0 but wants a non-null pointer.
            let one: [UInt8] = [0]
            return one.withUnsafeBufferPointer {
                matches(in: UnsafeBufferPointer(rebasing: $0[0..<0]), starts: starts, limits: limits)
            }
        }
        let length = subject.count
        var offset = max(0, starts.lowerBound)
        let stop = min(starts.upperBound, length + 1)  // a match may start at `length` (empty match at end)
        guard offset < stop, offset <= length else { return .complete([]) }
        // Starting inside a character would break the NO_UTF_CHECK promise; step to the next one.
        while offset < length, subject[offset] & 0xC0 == 0x80 { offset += 1 }
        guard offset < stop else { return .complete([]) }

        let scratch = pool.take(code: code, jit: isJITCompiled)
        defer { pool.give(scratch) }
        pcre2_set_match_limit_8(scratch.context, limits.matchLimit)
        pcre2_set_depth_limit_8(scratch.context, limits.depthLimit)
        pcre2_set_offset_limit_8(scratch.context, stop - 1)

        let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
        var found: [Range<Int>] = []
        var extraOptions: UInt32 = 0

        while offset <= length, offset < stop {
            let rc = pcre2_match_8(code, base, length, offset, PCRE2_NO_UTF_CHECK | extraOptions,
                                   scratch.matchData, scratch.context)
            if rc < 0 {
                if rc == PCRE2_ERROR_NOMATCH {
                    if extraOptions == 0 { break }
                    // No non-empty match at the spot of an empty one: move on by one character.
                    extraOptions = 0
                    offset += 1
                    while offset < length, subject[offset] & 0xC0 == 0x80 { offset += 1 }
                    continue
                }
                return .limitExceeded(found, reason: Self.reason(rc))
            }
            let start = Int(ovector[0]), end = Int(ovector[1])
            // \K in a lookahead can report end < start; such a match is clamped rather than trusted.
            let range = start..<max(start, end)
            if start >= stop { break }
            found.append(range)
            if range.isEmpty {
                // Perl's rule: try for a non-empty match at the same spot before advancing.
                extraOptions = PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED
                offset = range.lowerBound
            } else {
                extraOptions = 0
                offset = range.upperBound
            }
        }
        return .complete(found)
    }

    /// Convenience over a byte array.
    public func matches(in subject: [UInt8], starts: Range<Int>? = nil, limits: Limits = .standard) -> Outcome {
        subject.withUnsafeBufferPointer { matches(in: $0, starts: starts ?? 0..<($0.count + 1), limits: limits) }
    }

    private static func reason(_ rc: Int32) -> String {
        switch rc {
        case PCRE2_ERROR_MATCHLIMIT: return "match limit exceeded"
        case PCRE2_ERROR_DEPTHLIMIT: return "depth limit exceeded"
        case PCRE2_ERROR_HEAPLIMIT: return "heap limit exceeded"
        case PCRE2_ERROR_JIT_STACKLIMIT: return "JIT stack limit exceeded"
        default: return errorMessage(rc)
        }
    }
}

/// Per-call matching state (match data, match context, JIT stack), reused across calls because a
/// JIT stack costs an mmap. Each call takes one for itself, so threads never share them.
private final class Scratch {
    let matchData: OpaquePointer
    let context: OpaquePointer
    let jitStack: OpaquePointer?

    init(code: OpaquePointer, jit: Bool) {
        matchData = pcre2_match_data_create_from_pattern_8(code, nil)!
        context = pcre2_match_context_create_8(nil)!
        // The default JIT stack is 32 KiB of machine stack; long repetitions of groups need more.
        if jit, let stack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil) {
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack))
            jitStack = stack
        } else {
            jitStack = nil
        }
    }

    func free() {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }
}

private final class ScratchPool: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var idle: [Scratch] = []
    private static let keep = 16

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func take(code: OpaquePointer, jit: Bool) -> Scratch {
        pthread_mutex_lock(mutex)
        let s = idle.popLast()
        pthread_mutex_unlock(mutex)
        return s ?? Scratch(code: code, jit: jit)
    }

    func give(_ s: Scratch) {
        pthread_mutex_lock(mutex)
        if idle.count < Self.keep {
            idle.append(s)
            pthread_mutex_unlock(mutex)
        } else {
            pthread_mutex_unlock(mutex)
            s.free()
        }
    }

    func drain() {
        pthread_mutex_lock(mutex)
        let all = idle
        idle = []
        pthread_mutex_unlock(mutex)
        for s in all { s.free() }
    }
}
