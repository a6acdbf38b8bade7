/// Tokens of the rules language. Newlines end statements, except inside parentheses or after a
/// token that cannot end one (`,` `=` `and` `or` `not` `(` `{`), so long conditions can wrap.
struct Token: Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)     // rule ids, keywords, kinds, scopes, citation ids, dates
        case string(String)
        case regex(String)          // `...` raw, no escapes
        case number(Double, isInteger: Bool)
        case selection(String)      // $name
        case count(String)          // #$name
        case lexiconRef(String)     // @name
        case symbol(String)         // { } ( ) , = >= > <= < == !=
        /// Text the lexer rejected (already reported): the statement holding it fails quietly.
        case invalid
        case newline
        case end
    }
    let kind: Kind
    let location: SourceLocation

    var describe: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .string: return "a string"
        case .regex: return "a regex"
        case .number(let n, _): return "number \(n)"
        case .selection(let s): return "$\(s)"
        case .count(let s): return "#$\(s)"
        case .lexiconRef(let s): return "@\(s)"
        case .symbol(let s): return "'\(s)'"
        case .invalid: return "invalid text"
        case .newline: return "end of line"
        case .end: return "end of file"
        }
    }
}

struct Lexer {
    let file: String
    let lines: [String]
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, text: String) {
        self.file = file
        self.scalars = Array(text.unicodeScalars)
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    }

    func sourceLine(_ n: Int) -> String {
        n >= 1 && n <= lines.count ? lines[n - 1].replacingTabs() : ""
    }

    mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        var depth = 0
        while true {
            skipSpacesAndComments()
            let location = SourceLocation(file: file, line: line, column: column)
            guard let c = peek() else {
                tokens.append(Token(kind: .end, location: location)); return tokens
            }
            let kind: Token.Kind
            if c == "\n" {
                advance()
                if depth > 0 || (tokens.last.map(Self.continuesStatement) ?? true) || nextLineContinues() { continue }
                kind = .newline
            } else if c == "\"" {
                kind = readString(location).map(Token.Kind.string) ?? .invalid
            } else if c == "`" {
                kind = readRegex(location).map(Token.Kind.regex) ?? .invalid
            } else if c == "$" {
                advance(); kind = .selection(readWord())
            } else if c == "#" && peek(1) == "$" {
                advance(); advance(); kind = .count(readWord())
            } else if c == "@" {
                advance(); kind = .lexiconRef(readWord())
            } else if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true) {
                let word = readWord()
                if let n = Double(word), word.allSatisfy({ $0.isNumber || $0 == "." }) {
                    kind = .number(n, isInteger: !word.contains("."))
                } else {
                    kind = .identifier(word)   // dates (2026-07-01) and ids starting with a digit
                }
            } else if Self.isWordStart(c) {
                kind = .identifier(readWord())
            } else if let symbol = readSymbol() {
                if symbol == "(" { depth += 1 }
                if symbol == ")" { depth = max(0, depth - 1) }
                // An unclosed parenthesis must not join the rest of the file into one statement.
                if symbol == "{" || symbol == "}" { depth = 0 }
                kind = .symbol(symbol)
            } else {
                error(.unexpectedCharacter, "unexpected character '\(c)'", location)
                advance()
                kind = .invalid
            }
            tokens.append(Token(kind: kind, location: location))
        }
    }

    private static func continuesStatement(_ token: Token) -> Bool {
        switch token.kind {
        case .newline, .symbol(","), .symbol("="), .symbol("("), .symbol("{"), .identifier("and"), .identifier("or"), .identifier("not"):
            return true
        default: return false
        }
    }

    /// A line starting with `and` or `or` continues the condition above it.
    private func nextLineContinues() -> Bool {
        var i = index
        while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" || scalars[i] == "\r" { i += 1 }
        for word in ["and", "or"] {
            let w = Array(word.unicodeScalars)
            if i + w.count < scalars.count, Array(scalars[i..<(i + w.count)]) == w,
               !Self.isWordPart(scalars[i + w.count]) { return true }
        }
        return false
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private mutating func skipSpacesAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" || c == "\u{FEFF}" { advance() }
            else if c == "#" && peek(1) != "$" {
                while let d = peek(), d != "\n" { advance() }
            } else { return }
        }
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func isWordStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" }
    static func isWordPart(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || isDigit(c) || c == "_" || c == "-" || c == "." || c == "/" || c == "?"
            || c.properties.generalCategory == .nonspacingMark
    }

    private mutating func readWord() -> String {
        var s = String.UnicodeScalarView()
        while let c = peek(), Self.isWordPart(c) { s.append(c); advance() }
        // A trailing dot or slash ends a sentence, not an id.
        while let last = s.last, last == "." || last == "/" { s.removeLast(); index -= 1; column -= 1 }
        return String(s)
    }

    private mutating func readSymbol() -> String? {
        guard let c = peek() else { return nil }
        let two = peek(1).map { String(c) + String($0) }
        if let two, [">=", "<=", "==", "!="].contains(two) { advance(); advance(); return two }
        if "{}(),=<>".unicodeScalars.contains(c) { advance(); return String(c) }
        return nil
    }

    private mutating func readString(_ start: SourceLocation) -> String? {
        advance()
        var s = String.UnicodeScalarView()
        while let c = peek() {
            if c == "\"" { advance(); return String(s) }
            if c == "\n" { break }
            if c == "\\" {
                advance()
                guard let e = peek() else { break }
                switch e {
                case "n": s.append("\n")
                case "t": s.append("\t")
                case "\"", "\\": s.append(e)
                default: s.append("\\"); s.append(e)
                }
                advance(); continue
            }
            s.append(c); advance()
        }
        error(.unterminatedString, "string is not closed on this line", start)
        return nil
    }

    private mutating func readRegex(_ start: SourceLocation) -> String? {
        advance()
        var s = String.UnicodeScalarView()
        while let c = peek() {
            if c == "`" { advance(); return String(s) }
            if c == "\n" { break }
            s.append(c); advance()
        }
        error(.unterminatedRegex, "regex is not closed with ` on this line", start)
        return nil
    }

    private mutating func error(_ code: DiagnosticCode, _ message: String, _ location: SourceLocation) {
        diagnostics.append(Diagnostic(code, message, at: location, sourceLine: sourceLine(location.line)))
    }
}

extension String {
    /// Tabs would misplace the caret under a column counted in scalars.
    func replacingTabs() -> String { String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) }) }
}
