import TonchiCore

/// Recursive-descent parser for `.rules` and `.lexicon` files. A syntax error inside a rule skips
/// that rule (to its closing brace) and parsing goes on, so one typo never hides the other rules.
struct Parser {
    private var tokens: [Token]
    private var position = 0
    private let lexer: Lexer
    private(set) var diagnostics: [Diagnostic]

    private struct Failure: Error {}

    init(file: String, text: String) {
        var lexer = Lexer(file: file, text: text)
        tokens = lexer.tokenize()
        diagnostics = lexer.diagnostics
        self.lexer = lexer
    }

    mutating func parseFile() -> FileSyntax {
        var file = FileSyntax(lines: lexer.lines)
        while true {
            skipNewlines()
            guard case .identifier(let word) = current.kind else {
                if case .end = current.kind { return file }
                fail(.expectedToken, "expected 'rule', 'site rule' or 'lexicon', found \(current.describe)", current.location)
                recoverToNextItem(); continue
            }
            do {
                switch word {
                case "rule":
                    advance(); file.rules.append(try parseRule(isSite: false))
                case "site":
                    advance(); try expectWord("rule"); file.rules.append(try parseRule(isSite: true))
                case "lexicon":
                    advance(); file.lexicons.append(try parseLexicon())
                default:
                    fail(.expectedToken, "expected 'rule', 'site rule' or 'lexicon', found \(current.describe)", current.location)
                    throw Failure()
                }
            } catch {
                recoverToNextItem()
            }
        }
    }

    // MARK: items

    private mutating func parseRule(isSite: Bool) throws -> RuleSyntax {
        let location = current.location
        let id = try identifier("a rule id")
        var rule = RuleSyntax(id: id, isSiteRule: isSite, location: location)
        try expectSymbol("{")
        while true {
            skipNewlines()
            if case .symbol("}") = current.kind { advance(); return rule }
            try rejectInvalidStatement()
            try parseStatement(into: &rule)
            try endOfStatement()
        }
    }

    private mutating func parseStatement(into rule: inout RuleSyntax) throws {
        let location = current.location
        let keyword = try identifier("a statement such as title, terms, when")
        switch keyword {
        case "title", "message", "criterion":
            rule.fields[keyword] = (try string(), location)
        case "severity", "status":
            let valueLocation = current.location
            rule.fields[keyword] = (try identifier("a \(keyword) value"), valueLocation)
        case "confidence":
            let valueLocation = current.location
            rule.fields[keyword] = (String(try number()), valueLocation)
        case "fp":
            rule.falsePositiveNotes.append(try string())
        case "cites":
            repeat {
                var citation = CitationSyntax(id: "", location: current.location)
                citation = CitationSyntax(id: try identifier("a citation id"), location: citation.location)
                (citation.from, citation.until) = try dateRange()
                rule.cites.append(citation)
            } while acceptSymbol(",")
        case "applies":
            repeat {
                let kindLocation = current.location
                rule.kinds.append((try identifier("a publication kind"), kindLocation))
            } while acceptSymbol(",")
            (rule.appliesFrom, rule.appliesUntil) = try dateRange()
        case "terms", "regex", "lexicon":
            rule.selections.append(try parseSelection(kind: keyword))
        case "when", "unless":
            let condition = try parseCondition()
            if keyword == "when" { rule.when = (condition, location) } else { rule.unless = (condition, location) }
        case "hit", "miss":
            rule.examples.append(ExampleSyntax(expectHit: keyword == "hit", text: try string(), location: location))
        default:
            fail(.unknownStatement, "unknown statement '\(keyword)' in rule \(rule.id)", location)
            throw Failure()
        }
    }

    private mutating func parseSelection(kind: String) throws -> SelectionSyntax {
        guard case .selection(let name) = current.kind, !name.isEmpty else {
            fail(.expectedToken, "expected a selection name like $pv, found \(current.describe)", current.location)
            throw Failure()
        }
        let location = current.location
        advance()
        var scopes: [(String, SourceLocation)] = []
        if acceptWord("in") {
            repeat {
                let scopeLocation = current.location
                scopes.append((try identifier("a scope"), scopeLocation))
            } while acceptSymbol(",")
        }
        let ignoreDiacritics = acceptWord("nodiacritics")
        try expectSymbol("=")
        let source: SelectionSource
        switch kind {
        case "terms":
            var terms: [(String, SourceLocation)] = []
            repeat {
                let termLocation = current.location
                terms.append((try string(), termLocation))
            } while acceptSymbol(",")
            source = .terms(terms)
        case "regex":
            guard case .regex(let pattern) = current.kind else {
                fail(.expectedToken, "expected a regex in backquotes, found \(current.describe)", current.location)
                throw Failure()
            }
            source = .regex(pattern, location: current.location)
            advance()
        default:
            guard case .lexiconRef(let lexicon) = current.kind else {
                fail(.expectedToken, "expected a lexicon reference like @y-te, found \(current.describe)", current.location)
                throw Failure()
            }
            source = .lexicon(lexicon, location: current.location)
            advance()
        }
        return SelectionSyntax(name: name, location: location, scopes: scopes, ignoreDiacritics: ignoreDiacritics, source: source)
    }

    private mutating func parseLexicon() throws -> LexiconSyntax {
        let location = current.location
        let name = try identifier("a lexicon name")
        var title: String?
        if case .string(let s) = current.kind { title = s; advance() }
        try expectSymbol("{")
        var lexicon = LexiconSyntax(name: name, title: title, location: location, entries: [])
        while true {
            skipNewlines()
            if case .symbol("}") = current.kind { advance(); return lexicon }
            try rejectInvalidStatement()
            let entryLocation = current.location
            let term = try string()
            var weight = 1.0
            if case .number(let n, _) = current.kind { weight = n; advance() }
            lexicon.entries.append((term, weight, entryLocation))
            try endOfStatement()
        }
    }

    // MARK: conditions

    private mutating func parseCondition() throws -> Condition<SelectionRef> {
        var terms = [try parseConjunction()]
        while acceptWord("or") { terms.append(try parseConjunction()) }
        return terms.count == 1 ? terms[0] : .any(terms)
    }

    private mutating func parseConjunction() throws -> Condition<SelectionRef> {
        var terms = [try parseNegation()]
        while acceptWord("and") { terms.append(try parseNegation()) }
        return terms.count == 1 ? terms[0] : .all(terms)
    }

    private mutating func parseNegation() throws -> Condition<SelectionRef> {
        if acceptWord("not") { return .not(try parseNegation()) }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> Condition<SelectionRef> {
        let token = current
        switch token.kind {
        case .symbol("("):
            advance()
            let inner = try parseCondition()
            try expectSymbol(")")
            return inner
        case .number(let n, isInteger: true) where peekKind(1) == .identifier("of"):
            advance(); advance()
            try expectSymbol("(")
            var items = [try parseCondition()]
            while acceptSymbol(",") { items.append(try parseCondition()) }
            try expectSymbol(")")
            return .atLeast(Int(n), items)
        case .selection(let name) where !isComparisonAhead(at: 1):
            advance()
            let ref = SelectionRef(name: name, location: token.location)
            if acceptWord("near") {
                guard case .selection(let other) = current.kind else {
                    fail(.expectedToken, "expected a selection after 'near', found \(current.describe)", current.location)
                    throw Failure()
                }
                let otherRef = SelectionRef(name: other, location: current.location)
                advance()
                try expectWord("within")
                let words = try integer()
                try expectWord("words")
                return .near(ref, otherRef, words: words)
            }
            if acceptWord("in") {
                try expectWord("first")
                let words = try integer()
                try expectWord("words")
                return .inFirst(ref, words: words)
            }
            return .present(ref)
        case .identifier("fired"):
            advance()
            try expectSymbol("(")
            let id = try identifier("a rule id")
            try expectSymbol(")")
            return .fired(ruleID: id)
        default:
            let left = try parseOperand()
            guard case .symbol(let s) = current.kind, let op = Comparison(rawValue: s) else {
                fail(.expectedToken, "expected a comparison (>=, >, <=, <, ==, !=) after the value, found \(current.describe)", current.location)
                throw Failure()
            }
            advance()
            return .compare(left, op, try parseOperand())
        }
    }

    private func isComparisonAhead(at offset: Int) -> Bool {
        if case .symbol(let s) = peekKind(offset) { return Comparison(rawValue: s) != nil }
        return false
    }

    private mutating func parseOperand() throws -> Operand<SelectionRef> {
        let token = current
        switch token.kind {
        case .count(let name):
            advance(); return .count(SelectionRef(name: name, location: token.location))
        case .number(let n, _):
            advance(); return .number(n)
        case .identifier("words"):
            advance(); return .words
        case .identifier("pages"):
            advance(); return .pages
        case .identifier(let f) where ["density", "score", "count", "share"].contains(f):
            advance()
            try expectSymbol("(")
            defer { _ = acceptSymbol(")") }
            if f == "count" || f == "share" {
                let condition = try parseCondition()
                guard case .symbol(")") = current.kind else {
                    fail(.expectedToken, "expected ')', found \(current.describe)", current.location); throw Failure()
                }
                return f == "count" ? .pageCount(condition) : .pageShare(condition)
            }
            guard case .selection(let name) = current.kind else {
                fail(.expectedToken, "expected a selection inside \(f)(), found \(current.describe)", current.location)
                throw Failure()
            }
            let ref = SelectionRef(name: name, location: current.location)
            advance()
            guard case .symbol(")") = current.kind else {
                fail(.expectedToken, "expected ')', found \(current.describe)", current.location); throw Failure()
            }
            return f == "density" ? .density(ref) : .score(ref)
        default:
            fail(.expectedToken, "expected a condition (a $selection, #$count, density(), score(), N of (...)), found \(token.describe)", token.location)
            throw Failure()
        }
    }

    // MARK: small pieces

    /// A statement holding text the lexer rejected fails without a second message.
    private func rejectInvalidStatement() throws {
        var i = position
        while i < tokens.count {
            switch tokens[i].kind {
            case .invalid: throw Failure()
            case .newline, .end, .symbol("}"): return
            default: i += 1
            }
        }
    }

    private var current: Token { tokens[position] }
    private func peekKind(_ offset: Int) -> Token.Kind {
        tokens[min(position + offset, tokens.count - 1)].kind
    }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private mutating func skipNewlines() {
        while case .newline = current.kind { advance() }
    }

    private mutating func endOfStatement() throws {
        switch current.kind {
        case .newline: advance()
        case .symbol("}"), .end: return
        default:
            fail(.expectedToken, "expected end of line, found \(current.describe)", current.location)
            throw Failure()
        }
    }

    private mutating func identifier(_ what: String) throws -> String {
        if case .identifier(let s) = current.kind { advance(); return s }
        fail(.expectedToken, "expected \(what), found \(current.describe)", current.location)
        throw Failure()
    }

    private mutating func string() throws -> String {
        if case .string(let s) = current.kind { advance(); return s }
        fail(.expectedToken, "expected a quoted string, found \(current.describe)", current.location)
        throw Failure()
    }

    private mutating func number() throws -> Double {
        if case .number(let n, _) = current.kind { advance(); return n }
        fail(.invalidNumber, "expected a number, found \(current.describe)", current.location)
        throw Failure()
    }

    private mutating func integer() throws -> Int {
        if case .number(let n, isInteger: true) = current.kind, n <= 1_000_000 { advance(); return Int(n) }
        fail(.invalidNumber, "expected a whole number, found \(current.describe)", current.location)
        throw Failure()
    }

    private mutating func dateRange() throws -> (Day?, Day?) {
        var from: Day?, until: Day?
        if acceptWord("from") { from = try date() }
        if acceptWord("until") { until = try date() }
        return (from, until)
    }

    private mutating func date() throws -> Day {
        let location = current.location
        if case .identifier(let s) = current.kind, let day = Day(s) { advance(); return day }
        fail(.invalidDate, "expected a date YYYY-MM-DD, found \(current.describe)", location)
        throw Failure()
    }

    private mutating func acceptSymbol(_ s: String) -> Bool {
        if case .symbol(s) = current.kind { advance(); return true }
        return false
    }

    private mutating func acceptWord(_ s: String) -> Bool {
        if case .identifier(s) = current.kind { advance(); return true }
        return false
    }

    private mutating func expectSymbol(_ s: String) throws {
        guard acceptSymbol(s) else {
            fail(.expectedToken, "expected '\(s)', found \(current.describe)", current.location)
            throw Failure()
        }
    }

    private mutating func expectWord(_ s: String) throws {
        guard acceptWord(s) else {
            fail(.expectedToken, "expected '\(s)', found \(current.describe)", current.location)
            throw Failure()
        }
    }

    /// After an error: skip to the brace closing the current item. A new item starts only with
    /// `rule ID`, `site rule` or `lexicon NAME` at the start of a line, so a broken statement such as
    /// `lexicon $x = @y` inside a rule does not end the recovery early.
    private mutating func recoverToNextItem() {
        var depth = 0
        while true {
            switch current.kind {
            case .end: return
            case .symbol("{"): depth += 1
            case .symbol("}"):
                if depth <= 1 { advance(); return }
                depth -= 1
            case .identifier("rule"), .identifier("site"), .identifier("lexicon"):
                let startsLine = position == 0 || tokens[position - 1].kind == .newline
                if startsLine, case .identifier = peekKind(1) { return }
            default: break
            }
            advance()
        }
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, _ location: SourceLocation) {
        diagnostics.append(Diagnostic(code, message, at: location, sourceLine: lexer.sourceLine(location.line)))
    }
}
