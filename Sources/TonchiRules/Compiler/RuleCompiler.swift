import Foundation
import TonchiCore
import TonchiMatch
import TonchiNormalize

/// Turns parsed rule files into a `RuleSet`: resolves names, checks meaning, lints, and builds the
/// shared match database. A rule with an error is reported and left out; the others load.
public enum RuleCompiler {
    public struct SourceFile: Sendable {
        public let path: String
        public let text: String
        public init(path: String, text: String) { self.path = path; self.text = text }
    }

    /// `catalogText` only enters the rule-pack hash: a catalog change changes citations, so it must change the hash.
    public static func compile(_ files: [SourceFile], catalog: LegalCatalog, catalogText: String = "") -> RuleSet {
        var session = Session(catalog: catalog)
        var parsed: [(RuleSyntax, lines: [String])] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            var parser = Parser(file: file.path, text: file.text)
            let syntax = parser.parseFile()
            session.diagnostics += parser.diagnostics
            session.lines[file.path] = syntax.lines
            for lexicon in syntax.lexicons { session.add(lexicon) }
            parsed += syntax.rules.map { ($0, syntax.lines) }
        }
        for (rule, _) in parsed { session.compile(rule) }
        session.checkFiredReferences()
        let hash = fnv1a(files.sorted { $0.path < $1.path }.map { $0.path + "\u{0}" + $0.text }.joined(separator: "\u{1}") + catalogText)
        let diagnostics = session.diagnostics.sorted {
            ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column)
        }
        return RuleSet(rules: session.rules, lexicons: session.lexicons, catalog: catalog,
                       database: MatchDatabase(patterns: session.patterns), diagnostics: diagnostics,
                       sourceHash: hash)
    }

    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

private struct Session {
    let catalog: LegalCatalog
    var diagnostics: [Diagnostic] = []
    var lines: [String: [String]] = [:]
    var lexicons: [String: Lexicon] = [:]
    var rules: [CompiledRule] = []
    var patterns: [PatternSpec] = []
    var ruleIDs: Set<String> = []
    var firedReferences: [(ruleID: String, location: SourceLocation, owner: String)] = []

    init(catalog: LegalCatalog) { self.catalog = catalog }

    mutating func report(_ code: DiagnosticCode, _ message: String, _ location: SourceLocation) {
        let line = lines[location.file].flatMap { location.line <= $0.count ? $0[location.line - 1] : nil } ?? ""
        diagnostics.append(Diagnostic(code, message, at: location, sourceLine: line.replacingTabs()))
    }

    mutating func add(_ syntax: LexiconSyntax) {
        if lexicons[syntax.name] != nil {
            report(.duplicateID, "lexicon '\(syntax.name)' is defined twice; this one is ignored", syntax.location)
            return
        }
        var entries: [(String, Double)] = []
        for entry in syntax.entries {
            if !Vietnamese.isNFC(entry.term) {
                report(.notNFC, "term \"\(entry.term)\" is not in NFC; it is matched in its normalized form", entry.location)
            }
            if Vietnamese.normalize(entry.term).isEmpty {
                report(.emptyTerm, "empty term in lexicon '\(syntax.name)'", entry.location); continue
            }
            entries.append((entry.term, entry.weight))
        }
        lexicons[syntax.name] = Lexicon(name: syntax.name, title: syntax.title, entries: entries, location: syntax.location)
    }

    // MARK: rules

    mutating func compile(_ syntax: RuleSyntax) {
        let before = diagnostics.filter { $0.level == .error }.count
        if ruleIDs.contains(syntax.id) {
            report(.duplicateID, "rule id '\(syntax.id)' is already defined; this rule is skipped", syntax.location)
            return
        }
        ruleIDs.insert(syntax.id)
        let rule = build(syntax)
        if diagnostics.filter({ $0.level == .error }).count == before, let rule {
            rules.append(rule)
        } else {
            ruleIDs.remove(syntax.id)
        }
    }

    private mutating func field(_ syntax: RuleSyntax, _ name: String) -> (value: String, location: SourceLocation)? {
        if let value = syntax.fields[name] { return value }
        report(.missingField, "rule \(syntax.id) has no '\(name)'", syntax.location)
        return nil
    }

    private mutating func build(_ syntax: RuleSyntax) -> CompiledRule? {
        let title = field(syntax, "title")
        let message = field(syntax, "message")
        let criterion = field(syntax, "criterion")

        var severity = Severity.info
        if let (value, location) = field(syntax, "severity") {
            if let s = Severity(rawValue: value) { severity = s } else {
                report(.invalidValue, "severity must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'", location)
            }
        }
        var status = RuleStatus.experimental
        if let (value, location) = syntax.fields["status"] {
            if let s = RuleStatus(rawValue: value) { status = s } else {
                report(.invalidValue, "status must be one of \(RuleStatus.allCases.map(\.rawValue).joined(separator: ", ")), not '\(value)'", location)
            }
        }
        if status == .deprecated {
            report(.deprecatedRule, "rule \(syntax.id) is deprecated and does not run", syntax.location)
        }
        var confidence = 0.5
        if let (value, location) = syntax.fields["confidence"] {
            if let c = Double(value), (0...1).contains(c) { confidence = c } else {
                report(.invalidValue, "confidence must be between 0 and 1, not \(value)", location)
            }
        }

        var kinds = Set<PublicationKind>()
        if syntax.kinds.isEmpty { report(.missingField, "rule \(syntax.id) has no 'applies' (publication kinds)", syntax.location) }
        for (name, location) in syntax.kinds {
            if let kind = PublicationKind(rawValue: name) { kinds.insert(kind) } else {
                report(.unknownKind, "unknown publication kind '\(name)'; known: \(PublicationKind.allCases.map(\.rawValue).joined(separator: ", "))", location)
            }
        }

        var citations: [Citation] = []
        if syntax.cites.isEmpty { report(.missingField, "rule \(syntax.id) cites no provision: every finding must cite one", syntax.location) }
        for cite in syntax.cites {
            if let provision = catalog.provision(cite.id) {
                citations.append(Citation(id: cite.id, from: cite.from, until: cite.until, provision: provision))
            } else {
                report(.unknownCitation, "citation '\(cite.id)' is not in the legal catalog (Rules/legal); citations may not be invented", cite.location)
            }
        }

        var selections: [CompiledSelection] = []
        var names: [String: Int] = [:]
        // Selections that failed to compile were reported already; do not report their uses again.
        var failedSelections = Set<String>()
        for selection in syntax.selections {
            if names[selection.name] != nil {
                report(.duplicateSelection, "selection $\(selection.name) is defined twice in rule \(syntax.id)", selection.location)
                continue
            }
            guard let compiled = compileSelection(selection, siteRule: syntax.isSiteRule) else {
                failedSelections.insert(selection.name); continue
            }
            names[selection.name] = selections.count
            selections.append(compiled)
        }

        func resolve(_ condition: Condition<SelectionRef>) -> Condition<Int>? {
            var failed = false
            let resolved: Condition<Int> = condition.map { ref in
                if let index = names[ref.name] { return index }
                if !failedSelections.contains(ref.name) {
                    report(.unknownSelection, "unknown selection $\(ref.name) in rule \(syntax.id)", ref.location)
                }
                failed = true
                return -1
            }
            checkSiteOnly(condition, rule: syntax)
            return failed ? nil : resolved
        }
        guard let (whenSyntax, _) = syntax.when ?? {
            report(.missingField, "rule \(syntax.id) has no 'when' condition", syntax.location); return nil
        }() else { return nil }
        let when = resolve(whenSyntax)
        let unless = syntax.unless.flatMap { resolve($0.0) }

        var used = Set<String>()
        for (ref, _) in whenSyntax.references() { used.insert(ref.name) }
        for (ref, _) in syntax.unless?.0.references() ?? [] { used.insert(ref.name) }
        for selection in syntax.selections where !used.contains(selection.name) {
            report(.unusedSelection, "selection $\(selection.name) is never used in 'when' or 'unless'", selection.location)
        }

        if let (text, location) = message { checkPlaceholders(text, names: names, location: location) }
        var examples: [RuleExample] = []
        for example in syntax.examples { if let parsed = parseExample(example) { examples.append(parsed) } }
        let hits = examples.filter(\.expectHit).count
        if !syntax.isSiteRule && (hits < 2 || examples.count - hits < 2) {
            report(.fewExamples, "rule \(syntax.id) has \(hits) hit and \(examples.count - hits) miss examples; give at least 2 of each", syntax.location)
        }

        guard let when, let title, let message, let criterion else { return nil }
        let evidence = Array(Set(whenSyntax.references().filter(\.positive).compactMap { names[$0.0.name] })).sorted()
        return CompiledRule(
            id: syntax.id, isSiteRule: syntax.isSiteRule, title: title.value, message: message.value,
            severity: severity, confidence: confidence, status: status, criterion: criterion.value,
            citations: citations, kinds: kinds, appliesFrom: syntax.appliesFrom, appliesUntil: syntax.appliesUntil,
            falsePositiveNotes: syntax.falsePositiveNotes, selections: selections, when: when, unless: unless,
            evidence: evidence, examples: examples, location: syntax.location)
    }

    private mutating func compileSelection(_ selection: SelectionSyntax, siteRule: Bool) -> CompiledSelection? {
        var scopes: [Scope] = []
        for (name, location) in selection.scopes {
            guard let scope = Scope.named(name) else {
                report(.unknownScope, "unknown scope '\(name)'; known: \(Scope.allCases.map(\.rawValue).joined(separator: ", "))", location)
                return nil
            }
            if scope.isSiteScope && !siteRule {
                report(.siteOnlyConstruct, "scope '\(name)' describes a whole site; use it in a 'site rule'", location)
                return nil
            }
            scopes.append(scope)
        }
        if scopes.isEmpty { scopes = [.body] }
        let strip = selection.ignoreDiacritics
        let spec: PatternSpec
        switch selection.source {
        case .terms(let terms):
            var normalized: [(text: [UInt8], weight: Double)] = []
            for (term, location) in terms {
                if !Vietnamese.isNFC(term) {
                    report(.notNFC, "term \"\(term)\" is not in NFC; it is matched in its normalized form", location)
                }
                let folded = Vietnamese.normalize(term, stripDiacritics: strip)
                if folded.isEmpty { report(.emptyTerm, "empty term", location); return nil }
                normalized.append((Array(folded.utf8), 1))
            }
            spec = PatternSpec(source: .terms(normalized), diacriticFree: strip)
        case .lexicon(let name, let location):
            guard let lexicon = lexicons[name] else {
                report(.unknownLexicon, "unknown lexicon @\(name)", location); return nil
            }
            spec = PatternSpec(source: .terms(lexicon.entries.map {
                (Array(Vietnamese.normalize($0.term, stripDiacritics: strip).utf8), $0.weight)
            }), diacriticFree: strip)
        case .regex(let source, let location):
            guard let compiled = compileRegex(source, location: location, stripDiacritics: strip) else { return nil }
            spec = compiled
        }
        patterns.append(spec)
        return CompiledSelection(name: selection.name, scopes: scopes, ignoreDiacritics: strip,
                                 pattern: patterns.count - 1, location: selection.location)
    }

    private mutating func compileRegex(_ source: String, location: SourceLocation, stripDiacritics: Bool) -> PatternSpec? {
        if !Vietnamese.isNFC(source) {
            report(.notNFC, "regex is not in NFC; it is compiled in NFC", location)
        }
        // A diacritic-free selection searches text like "phong vien": its pattern loses its marks too.
        let canonical = stripDiacritics ? Self.withoutDiacritics(source) : Vietnamese.canonicalForm(source)
        if Vietnamese.isNFC(source) && canonical != source {
            report(.oldTonePlacement, "regex uses old-style tone placement (e.g. hoá); text is matched as hóa, so the regex is compiled that way", location)
        }
        let pattern: PCRE2Pattern
        do {
            pattern = try PCRE2Pattern(canonical)
        } catch let error as PCRE2Pattern.CompileError {
            // The pattern starts one column after the opening backquote; PCRE2 counts bytes.
            let prefix = String(decoding: Array(canonical.utf8).prefix(error.patternOffset), as: UTF8.self)
            let at = SourceLocation(file: location.file, line: location.line, column: location.column + 1 + prefix.unicodeScalars.count)
            report(.invalidRegex, "invalid regex: \(error.message)", at)
            return nil
        } catch {
            report(.invalidRegex, "invalid regex: \(error)", location); return nil
        }
        if pattern.minimumMatchLength == 0 {
            report(.emptyMatch, "regex can match empty text", location)
        }
        lintBoundaries(canonical, location: location)
        let literals = RegexLiterals.required(in: canonical)?
            .map { Array(Vietnamese.normalize($0, stripDiacritics: stripDiacritics).utf8) }
            .filter { $0.count >= 2 }
        if literals == nil || literals!.isEmpty {
            report(.noPrefilterLiteral, "regex has no literal text the prefilter can look for; it runs on every document (slow)", location)
        }
        return PatternSpec(source: .regex(pattern, prefilter: literals?.isEmpty == false ? literals : nil),
                           diacriticFree: stripDiacritics)
    }

    static func withoutDiacritics(_ text: String) -> String {
        let stripped = text.decomposedStringWithCanonicalMapping.unicodeScalars.filter { !(0x300...0x36F).contains($0.value) }
        return String(String.UnicodeScalarView(stripped)).replacingOccurrences(of: "đ", with: "d")
            .replacingOccurrences(of: "Đ", with: "D").precomposedStringWithCanonicalMapping
    }

    /// `\b` between two characters that are both non-word (e.g. `-\b-`, ` \b,`) can never match.
    private mutating func lintBoundaries(_ source: String, location: SourceLocation) {
        let scalars = Array(source.unicodeScalars)
        var i = 0
        while i + 1 < scalars.count {
            if scalars[i] == "\\" {
                if scalars[i + 1] == "b", i >= 1, i + 2 < scalars.count,
                   Self.isLiteralNonWord(scalars, before: i), Self.isLiteralNonWord(scalars, at: i + 2) {
                    let at = SourceLocation(file: location.file, line: location.line, column: location.column + 1 + i)
                    report(.impossibleBoundary, "\\b between two non-word characters can never match", at)
                }
                i += 2; continue
            }
            i += 1
        }
    }

    private static func isLiteralNonWord(_ s: [Unicode.Scalar], before i: Int) -> Bool {
        let c = s[i - 1]
        if i >= 2 && s[i - 2] == "\\" { return c == "." || c == "-" || c == "," }
        return c == " " || c == "," || c == "-" || c == ":" || c == ";"
    }

    private static func isLiteralNonWord(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        let c = s[i]
        if c == "\\" { return i + 1 < s.count && (s[i + 1] == "." || s[i + 1] == "-") }
        return c == " " || c == "," || c == "-" || c == ":" || c == ";"
    }

    private mutating func checkSiteOnly(_ condition: Condition<SelectionRef>, rule: RuleSyntax) {
        var insidePageAggregate = false
        func visit(_ c: Condition<SelectionRef>) {
            switch c {
            case .fired(let id):
                if !rule.isSiteRule || !insidePageAggregate {
                    report(.siteOnlyConstruct, "fired(\(id)) asks about a page: use it inside count() or share() of a 'site rule'", rule.location)
                }
                firedReferences.append((id, rule.location, rule.id))
            case .compare(let a, _, let b):
                for operand in [a, b] {
                    if operand.isSiteOnly && !rule.isSiteRule {
                        report(.siteOnlyConstruct, "pages, count() and share() are only meaningful in a 'site rule'", rule.location)
                    }
                    if case .pageCount(let inner) = operand { insidePageAggregate = true; visit(inner); insidePageAggregate = false }
                    if case .pageShare(let inner) = operand { insidePageAggregate = true; visit(inner); insidePageAggregate = false }
                }
            case .all(let cs), .any(let cs), .atLeast(_, let cs): cs.forEach(visit)
            case .not(let inner): visit(inner)
            case .present, .near, .inFirst: break
            }
        }
        visit(condition)
    }

    mutating func checkFiredReferences() {
        let known = Set(rules.filter { !$0.isSiteRule }.map(\.id))
        var broken = Set<String>()
        for reference in firedReferences where !known.contains(reference.ruleID) {
            report(.unknownRule, "fired(\(reference.ruleID)) names no loaded document rule", reference.location)
            broken.insert(reference.owner)
        }
        rules.removeAll { broken.contains($0.id) }
    }

    private mutating func checkPlaceholders(_ message: String, names: [String: Int], location: SourceLocation) {
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                report(.invalidPlaceholder, "message has an unclosed '{'", location); return
            }
            let name = String(rest[rest.index(after: open)..<close])
            let selection = name.hasPrefix("#$") ? String(name.dropFirst(2)) : name.hasPrefix("$") ? String(name.dropFirst()) : nil
            let known = ["match", "count", "title", "pages"].contains(name) || selection.map { names[$0] != nil } == true
            if !known {
                report(.invalidPlaceholder, "unknown placeholder {\(name)}; use {match}, {count}, {pages}, {title}, {$name} or {#$name}", location)
            }
            rest = rest[rest.index(after: close)...]
        }
    }

    /// `hit "… [[expected span]] …"`: the markers are removed and each span kept as byte offsets.
    private mutating func parseExample(_ example: ExampleSyntax) -> RuleExample? {
        var text = ""
        var spans: [Range<Int>] = []
        var rest = Substring(example.text)
        while let open = rest.range(of: "[[") {
            guard let close = rest.range(of: "]]", range: open.upperBound..<rest.endIndex) else {
                report(.invalidValue, "example has '[[' without ']]'", example.location); return nil
            }
            text += rest[..<open.lowerBound]
            let start = text.utf8.count
            text += rest[open.upperBound..<close.lowerBound]
            spans.append(start..<text.utf8.count)
            rest = rest[close.upperBound...]
        }
        text += rest
        if !example.expectHit && !spans.isEmpty {
            report(.invalidValue, "a 'miss' example cannot mark a span", example.location); return nil
        }
        return RuleExample(expectHit: example.expectHit, text: text, expectedSpans: spans, location: example.location)
    }
}
