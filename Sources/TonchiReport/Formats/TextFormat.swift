import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiScan

/// The terminal format: one block per finding, grouped by document, compiler-style locations.
public struct TextFormat {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    public func render(_ report: CheckReport) -> String {
        var out = ""
        for document in report.documents {
            for note in document.notes { out += "\(document.name): \(paint("note", .dim)): \(clean(note))\n" }
            for finding in document.findings { out += render(finding, in: document.name) }
            out += renderSet(aside: document, name: document.name)
            for item in document.incomplete {
                out += "\(document.name): \(paint("incomplete", .yellow)): rule \(item.ruleID): \(clean(item.reason))\n"
            }
        }
        for item in report.unreadable {
            out += "\(item.name): \(paint("unreadable", .red)): \(clean(item.reason))\n"
        }
        out += summary(report)
        return out
    }

    /// A scan: per site its facts, then findings page by page, then site-level findings; then what was read.
    public func render(_ report: ScanReport) -> String {
        var out = ""
        for site in report.sites {
            let facts = site.facts
            out += paint("== \(clean(facts.host))", .bold) + " — \(clean(facts.name ?? "?")), \(facts.pages) page(s)\n"
            if let licence = facts.licence {
                out += "   giấy phép: \(clean(licence.text)) [\(licence.kind.rawValue)]\n"
            } else {
                out += "   giấy phép: không thấy dòng giấy phép ở chân trang\n"
            }
            if !facts.menuSections.isEmpty { out += "   chuyên mục: \(clean(facts.menuSections.prefix(12).joined(separator: " | ")))\n" }
            for page in site.pages {
                let name = page.url ?? page.location.description
                for note in page.notes { out += "\(clean(name)): \(paint("note", .dim)): \(clean(note))\n" }
                for item in page.allowlisted ?? [] { out += allowlisted(item, in: name) }
                for entry in page.expiredAllowlist ?? [] { out += expired(entry, in: name) }
                for item in page.incomplete {
                    out += "\(clean(name)): \(paint("incomplete", .yellow)): rule \(item.ruleID): \(clean(item.reason))\n"
                }
            }
            // Findings grouped by rule: page findings in page order, then repeated and site findings.
            var located: [(name: String, finding: Finding)] = []
            for page in site.pages { for finding in page.findings { located.append((page.url ?? page.location.description, finding)) } }
            for finding in site.repeatedFindings { located.append((finding.pages.first ?? facts.host, finding)) }
            for finding in site.siteFindings { located.append((facts.homePage ?? facts.host, finding)) }
            var rules: [String] = []
            for item in located where !rules.contains(item.finding.ruleID) { rules.append(item.finding.ruleID) }
            for rule in rules {
                let group = located.filter { $0.finding.ruleID == rule }
                out += paint("-- \(rule)", .bold) + " (\(group.count))\n"
                for item in group { out += render(item.finding, in: item.name) }
            }
            for item in site.siteIncomplete {
                out += "\(clean(facts.host)): \(paint("incomplete", .yellow)): rule \(item.ruleID): \(clean(item.reason))\n"
            }
        }
        let c = report.coverage
        out += "read: \(c.recordsRead) record(s); scanned \(c.pagesScanned) page(s), \(String(format: "%.1f", Double(c.bytesScanned) / 1_048_576)) MB; "
        out += "skipped: \(c.nonHTMLSkipped) not HTML, \(c.notPages) not pages, \(c.duplicates) revisits/duplicates, "
        out += "\(c.tooLarge.count) too large, \(c.unsupported.count) unsupported, \(c.unreadable.count) unreadable\n"
        for item in c.unchecked {
            out += "\(clean(item.location.description)): \(paint(item.reason.rawValue, .red)): \(clean(item.detail))\n"
        }
        let findings = report.findings
        out += "\(findings.count) finding(s) in \(report.sites.count) site(s)\n"
        return out
    }

    /// Findings set aside (suppressed inline, allowlisted) and directive problems: listed, never dropped.
    private func renderSet(aside document: DocumentResult, name: String) -> String {
        var out = ""
        for item in document.suppressed ?? [] {
            let location = item.finding.spans.first.map { "\(name):\($0.line):\($0.column)" } ?? name
            out += "\(location): \(paint("suppressed", .dim)) [\(item.finding.ruleID)] \(clean(item.finding.message))\n"
            out += "    lý do (tonchi-disable, dòng \(item.line)): \(clean(item.reason))\n"
        }
        for problem in document.suppressionProblems ?? [] {
            out += "\(name):\(problem.line): \(paint("suppression", .yellow)): \(clean(problem.message))\n"
        }
        for item in document.allowlisted ?? [] { out += allowlisted(item, in: name) }
        for entry in document.expiredAllowlist ?? [] { out += expired(entry, in: name) }
        return out
    }

    private func allowlisted(_ item: AllowlistedFinding, in name: String) -> String {
        let location = item.finding.spans.first.map { "\(name):\($0.line):\($0.column)" } ?? name
        return "\(location): \(paint("allowlisted", .dim)) [\(item.finding.ruleID)] \(clean(item.finding.message))\n"
            + "    danh sách cho phép \(clean(item.entry.origin)): \(clean(item.entry.reason)) — \(clean(item.entry.author)), hết hạn \(item.entry.expires)\n"
    }

    private func expired(_ entry: AllowlistEntry, in name: String) -> String {
        "\(name): \(paint("allowlist expired", .yellow)): \(clean(entry.origin)) [\(entry.rule)] hết hạn \(entry.expires), không áp dụng\n"
    }

    private func render(_ finding: Finding, in name: String) -> String {
        let first = finding.spans.first
        let location = first.map { "\(name):\($0.line):\($0.column)" } ?? name
        var out = "\(location): \(paint(finding.severity.rawValue, color(for: finding.severity))) [\(finding.ruleID)] \(clean(finding.message))\n"
        for span in finding.spans.prefix(3) {
            out += "    …\(clean(String(span.before.suffix(40))))\(paint(clean(span.excerpt), .bold))\(clean(String(span.after.prefix(40))))…"
            out += "  (\(span.scope), bytes \(span.start)–\(span.end)\(span.diacriticFree ? ", không dấu" : ""))\n"
        }
        if finding.totalSpans > 3 { out += "    … \(finding.totalSpans - 3) more\n" }
        for page in finding.pages.prefix(5) { out += "    page: \(clean(page))\n" }
        if finding.pages.count > 5 { out += "    … and \(finding.pages.count - 5) more page(s)\n" }
        let cites = finding.citations.map { c in
            c.id + (c.needsChecking ? " (\(c.confidence): cần đối chiếu văn bản gốc)" : "")
        }.joined(separator: "; ")
        out += "    căn cứ: \(cites) · ngày áp dụng \(finding.citationDate) (\(finding.citationDateSource.rawValue))\n"
        if let warning = finding.citationWarning { out += "    \(paint("!", .yellow)) \(warning)\n" }
        out += "    tiêu chí: \(clean(finding.criterion)) · độ tin cậy \(String(format2: finding.confidence))\n"
        return out
    }

    private func summary(_ report: CheckReport) -> String {
        let findings = report.findings
        var counts: [String] = []
        for severity in Severity.allCases.reversed() {
            let n = findings.filter { $0.severity == severity }.count
            if n > 0 { counts.append("\(n) \(severity.rawValue)") }
        }
        let incomplete = report.documents.reduce(0) { $0 + $1.incomplete.count }
        var line = "\(findings.count) finding(s)"
        if !counts.isEmpty { line += " (\(counts.joined(separator: ", ")))" }
        let suppressed = report.documents.reduce(0) { $0 + ($1.suppressed?.count ?? 0) }
        let allowlisted = report.documents.reduce(0) { $0 + ($1.allowlisted?.count ?? 0) }
        if suppressed > 0 { line += "; \(suppressed) suppressed" }
        if allowlisted > 0 { line += "; \(allowlisted) allowlisted" }
        line += " in \(report.documents.count) document(s)"
        if incomplete > 0 { line += "; \(incomplete) incomplete check(s)" }
        if !report.unreadable.isEmpty { line += "; \(report.unreadable.count) unreadable input(s)" }
        return line + "\n"
    }

    private enum Style: String { case red = "31", yellow = "33", blue = "34", magenta = "35", dim = "2", bold = "1" }

    private func color(for severity: Severity) -> Style {
        switch severity {
        case .critical, .high: return .red
        case .medium: return .yellow
        case .low: return .blue
        case .info: return .dim
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Page text must not drive the terminal: control characters (escape sequences) are shown escaped.
    private func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += scalar == "\n" || scalar == "\t" ? " " : "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        self = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
