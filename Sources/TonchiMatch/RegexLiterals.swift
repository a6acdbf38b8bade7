/// Finds literal strings a regular expression cannot match without, so a document can be
/// skipped by one Aho–Corasick pass before PCRE2 runs.
///
/// The analysis is deliberately conservative: whatever it does not understand makes it give up
/// (nil) rather than guess, because a wrong literal silently hides real violations.
public enum RegexLiterals {
    /// Literals such that every match of `pattern` contains at least one of them (an alternation
    /// gives several); nil when none can be proven. Each literal is at least 2 UTF-8 bytes and is
    /// returned as written (the caller case-folds).
    public static func required(in pattern: String) -> [String]? {
        var parser = LiteralParser(Array(pattern.unicodeScalars))
        guard let top = parser.alternation(), parser.atEnd, let set = top.set, !set.isEmpty else { return nil }
        return set
    }
}

/// What a piece of pattern guarantees: `set` (every match contains one of these) and `exact`
/// (the piece always matches exactly this text, so it may join the surrounding literal run).
private struct Fragment {
    var set: [String]?
    var exact: String?
}

private enum Atom {
    case char(Unicode.Scalar)
    case chars([Unicode.Scalar])  // \Q…\E: a quantifier binds to the last one only
    case group(Fragment)
    case breaker    // consumes text we do not model (., classes, \d, backreferences, lookarounds)
    case zeroWidth  // ^ $ \b …: consumes nothing, so the text either side stays adjacent
    case nothing    // comments, option settings, lone \E
}

private struct LiteralParser {
    let s: [Unicode.Scalar]
    var i = 0

    init(_ s: [Unicode.Scalar]) { self.s = s }

    var atEnd: Bool { i >= s.count }
    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    /// Branches up to an unmatched `)` or the end. nil = unsupported syntax.
    mutating func alternation() -> Fragment? {
        var branches: [Fragment] = []
        while true {
            guard let b = branch() else { return nil }
            branches.append(b)
            if peek() == "|" { i += 1 } else { break }
        }
        if branches.count == 1 { return branches[0] }
        var union: [String] = []
        for b in branches {
            // One branch without a literal lets a match avoid all the others'.
            guard let set = b.set else { return Fragment(set: nil, exact: nil) }
            for lit in set where !union.contains(lit) { union.append(lit) }
        }
        return Fragment(set: union, exact: nil)
    }

    mutating func branch() -> Fragment? {
        var b = BranchState()
        while let c = peek(), c != "|", c != ")" {
            guard let atom = atom() else { return nil }
            guard let q = quantifier() else { return nil }
            switch atom {
            case .char(let ch):
                b.add(ch, q)
            case .chars(let chars):
                for ch in chars.dropLast() { b.run.append(ch) }
                if let last = chars.last { b.add(last, q) }
            case .group(let g):
                switch q {
                case .none:
                    if let e = g.exact { b.run.append(contentsOf: e.unicodeScalars) } else { b.endRun(); b.offer(g.set) }
                case .atLeast(let n) where n >= 1:
                    if let e = g.exact { b.run.append(contentsOf: e.unicodeScalars); b.endRun() } else { b.endRun(); b.offer(g.set) }
                default:
                    b.endRun()
                }
            case .breaker:
                b.endRun()
            case .zeroWidth, .nothing:
                // PCRE2 quantifies these oddly (a comment is skipped, so `a(?#x)+` is `a+`); give up.
                if case .none = q {} else { return nil }
            }
        }
        let whole: String? = b.exact ? String(b.run) : nil
        b.endRun()
        return Fragment(set: b.best, exact: whole)
    }

    /// The literal run being built in one branch and the best literal set seen so far.
    struct BranchState {
        var run = String.UnicodeScalarView()
        var exact = true
        var best: [String]?
        var bestScore = 0

        /// Keeps the set whose shortest literal is longest (fewer literals on a tie).
        mutating func offer(_ set: [String]?) {
            guard let set, !set.isEmpty else { return }
            let score = set.map(\.utf8.count).min()!
            if score >= 2, score > bestScore || (score == bestScore && set.count < best!.count) {
                best = set
                bestScore = score
            }
        }

        mutating func endRun() {
            if !run.isEmpty { offer([String(run)]) }
            run = String.UnicodeScalarView()
            exact = false
        }

        mutating func add(_ ch: Unicode.Scalar, _ q: Quantifier) {
            switch q {
            case .none:
                run.append(ch)
            case .atLeast(let n) where n >= 1:
                run.append(ch)  // at least one copy is there, but what follows may be another copy
                endRun()
            default:
                endRun()
            }
        }
    }

    enum Quantifier { case none, atLeast(Int) }

    /// The quantifier after an atom; nil = unsupported (ambiguous braces, stacked quantifiers).
    mutating func quantifier() -> Quantifier? {
        var q: Quantifier
        switch peek() {
        case "?", "*": q = .atLeast(0); i += 1
        case "+": q = .atLeast(1); i += 1
        case "{":
            switch braces() {
            case .quantifier(let n, let length): q = .atLeast(n); i += length
            case .ambiguous: return nil
            case .literal: return Quantifier.none
            }
        default: return Quantifier.none
        }
        if peek() == "?" || peek() == "+" { i += 1 }  // lazy / possessive: same text, same minimum
        switch peek() {
        case "?", "*", "+": return nil
        case "{": if case .literal = braces() {} else { return nil }
        default: break
        }
        return q
    }

    enum Braces { case quantifier(Int, length: Int), ambiguous, literal }

    /// `{n}`, `{n,}`, `{n,m}` are quantifiers. Newer PCRE2 versions also read `{,m}` and spaces
    /// inside, older ones read those as literal text, so anything digit-like we cannot parse
    /// strictly is refused instead of guessed.
    func braces() -> Braces {
        var k = i + 1
        var digits = 0, value = 0
        while k < s.count, let d = digit(s[k]) { value = min(value * 10 + d, 1_000_000); digits += 1; k += 1 }
        if digits > 0 {
            if k < s.count, s[k] == "}" { return .quantifier(value, length: k + 1 - i) }
            if k < s.count, s[k] == "," {
                k += 1
                while k < s.count, digit(s[k]) != nil { k += 1 }
                if k < s.count, s[k] == "}" { return .quantifier(value, length: k + 1 - i) }
            }
            return .ambiguous
        }
        if let c = peekAt(i + 1), c == "," || c == " " || c == "\t" || c == "}" { return .ambiguous }
        return .literal
    }

    func peekAt(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }
    func digit(_ c: Unicode.Scalar) -> Int? { c.value >= 48 && c.value <= 57 ? Int(c.value - 48) : nil }
    func isASCIIAlnum(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 48 && c.value <= 57) || (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122)
    }
    func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 48...57: return c.value - 48
        case 65...70: return c.value - 55
        case 97...102: return c.value - 87
        default: return nil
        }
    }

    mutating func atom() -> Atom? {
        guard let c = peek() else { return nil }
        switch c {
        case "\\": return escape()
        case "[": return charClass() ? .breaker : nil
        case "(": return group()
        case ".": i += 1; return .breaker
        case "^", "$": i += 1; return .zeroWidth
        case "*", "+", "?": return nil  // nothing to repeat
        case "{":
            if case .literal = braces() { i += 1; return .char(c) }
            return nil
        default: i += 1; return .char(c)
        }
    }

    /// Skips `open`…`close` starting at i (which holds `open`); false if unterminated.
    mutating func skipDelimited(_ close: Unicode.Scalar) -> Bool {
        i += 1
        while let c = peek(), c != close { i += 1 }
        guard peek() == close else { return false }
        i += 1
        return true
    }

    mutating func escape() -> Atom? {
        i += 1  // the backslash
        guard let c = peek() else { return nil }
        i += 1
        switch c {
        case "a": return .char("\u{07}")
        case "e": return .char("\u{1B}")
        case "f": return .char("\u{0C}")
        case "n": return .char("\n")
        case "r": return .char("\r")
        case "t": return .char("\t")
        case "d", "D", "s", "S", "w", "W", "h", "H", "v", "V", "R", "X", "C":
            return .breaker
        case "N":
            if peek() == "{" { return skipDelimited("}") ? .breaker : nil }
            return .breaker
        case "p", "P":
            if peek() == "{" { return skipDelimited("}") ? .breaker : nil }
            guard peek() != nil else { return nil }
            i += 1
            return .breaker
        case "b", "B", "A", "z", "Z", "G":
            return .zeroWidth
        case "Q":
            var chars: [Unicode.Scalar] = []
            while let d = peek() {
                if d == "\\", peekAt(i + 1) == "E" { i += 2; break }
                chars.append(d)
                i += 1
            }
            return chars.isEmpty ? .nothing : .chars(chars)
        case "E":
            return .nothing
        case "x":
            if peek() == "{" {
                let open = i
                guard skipDelimited("}") else { return nil }
                var value: UInt32 = 0
                let body = s[(open + 1)..<(i - 1)]
                guard !body.isEmpty, body.count <= 8 else { return nil }
                for h in body {
                    guard let v = hexValue(h) else { return nil }
                    value = value * 16 + v
                }
                guard value > 0, let scalar = Unicode.Scalar(value) else { return nil }
                return .char(scalar)
            }
            var value: UInt32 = 0, n = 0
            while n < 2, let d = peek(), let v = hexValue(d) { value = value * 16 + v; i += 1; n += 1 }
            guard n > 0, value > 0, let scalar = Unicode.Scalar(value) else { return .breaker }
            return .char(scalar)
        case "o":
            guard peek() == "{" else { return nil }
            return skipDelimited("}") ? .breaker : nil
        case "c":
            guard let d = peek(), d.isASCII else { return nil }
            i += 1
            return .breaker
        case "0":
            var n = 0
            while n < 2, let d = peek(), d.value >= 48, d.value <= 55 { i += 1; n += 1 }
            return .breaker
        case "1"..."9":
            // Backreference or octal escape; either way one unknown item.
            while let d = peek(), digit(d) != nil { i += 1 }
            return .breaker
        case "g":
            switch peek() {
            case "{": return skipDelimited("}") ? .breaker : nil
            case "<": return skipDelimited(">") ? .breaker : nil
            case "'": return skipDelimited("'") ? .breaker : nil
            default:
                if peek() == "+" || peek() == "-" { i += 1 }
                var n = 0
                while let d = peek(), digit(d) != nil { i += 1; n += 1 }
                return n > 0 ? .breaker : nil
            }
        case "k":
            switch peek() {
            case "{": return skipDelimited("}") ? .breaker : nil
            case "<": return skipDelimited(">") ? .breaker : nil
            case "'": return skipDelimited("'") ? .breaker : nil
            default: return nil
            }
        default:
            // \K moves the match start; unknown letters are errors or newer syntax.
            if isASCIIAlnum(c) { return nil }
            return .char(c)  // an escaped metacharacter (or any non-alphanumeric) is itself
        }
    }

    /// Skips a bracketed class; false if unterminated or holding syntax we do not follow.
    mutating func charClass() -> Bool {
        i += 1
        if peek() == "^" { i += 1 }
        if peek() == "]" { i += 1 }  // a leading ] is a member
        while let c = peek() {
            switch c {
            case "]":
                i += 1
                return true
            case "\\":
                guard let d = peekAt(i + 1) else { return false }
                if d == "Q" || d == "E" { return false }
                i += 2
            case "[":
                if let d = peekAt(i + 1), d == ":" || d == "." || d == "=" {
                    // POSIX [:name:]; find its closing ":]".
                    var k = i + 2
                    while k + 1 < s.count, !(s[k] == d && s[k + 1] == "]") { k += 1 }
                    guard k + 1 < s.count else { return false }
                    i = k + 2
                } else {
                    i += 1
                }
            default:
                i += 1
            }
        }
        return false
    }

    mutating func group() -> Atom? {
        i += 1  // (
        guard let c = peek() else { return nil }
        if c == "*" { return nil }  // verbs, (*pla: …) and friends
        if c != "?" {
            return capture()
        }
        i += 1
        guard let d = peek() else { return nil }
        switch d {
        case ":", "|", ">":
            i += 1
            return capture()
        case "=", "!":
            i += 1
            return lookaround()
        case "<":
            if let e = peekAt(i + 1), e == "=" || e == "!" { i += 2; return lookaround() }
            guard skipDelimited(">") else { return nil }
            return capture()
        case "'":
            guard skipDelimited("'") else { return nil }
            return capture()
        case "P":
            i += 1
            switch peek() {
            case "<":
                guard skipDelimited(">") else { return nil }
                return capture()
            case "=", ">":  // backreference / recursion by name
                guard skipDelimited(")") else { return nil }
                return .breaker
            default: return nil
            }
        case "#":
            while let e = peek(), e != ")" { i += 1 }
            guard peek() == ")" else { return nil }
            i += 1
            return .nothing
        case "&", "R", "+", "-", "0"..."9":
            if d == "-", let e = peekAt(i + 1), digit(e) == nil { return options() }
            // Recursion or subroutine call: matches something we do not model.
            while let e = peek(), e != ")" { i += 1 }
            guard peek() == ")" else { return nil }
            i += 1
            return .breaker
        default:
            return options()
        }
    }

    /// `(?i)` / `(?i-s:…)`. Extended mode changes what whitespace and # mean, so it is refused.
    mutating func options() -> Atom? {
        while let e = peek(), e == "-" || e == "^" || (e.isASCII && isASCIIAlnum(e) && digit(e) == nil) {
            if e == "x" { return nil }
            i += 1
        }
        switch peek() {
        case ")": i += 1; return .nothing
        case ":": i += 1; return capture()
        default: return nil
        }
    }

    mutating func capture() -> Atom? {
        guard let inner = alternation(), peek() == ")" else { return nil }
        i += 1
        return .group(inner)
    }

    mutating func lookaround() -> Atom? {
        // Its text is outside the match (or must be absent), so only its extent matters.
        guard alternation() != nil, peek() == ")" else { return nil }
        i += 1
        return .breaker
    }
}
