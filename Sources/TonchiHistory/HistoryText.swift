import Foundation
import TonchiCore

/// Plain-text renderings of comparisons, review lists and store listings.
public enum HistoryText {
    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
    static func lpad(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }
    static func number(_ x: Double) -> String { String(format: "%.2f", x) }

    static func counts(_ c: ComparisonCounts) -> String {
        var parts = ["\(c.new) new", "\(c.persisting) persisting", "\(c.fixed) fixed"]
        if c.notRechecked > 0 { parts.append("\(c.notRechecked) not rechecked") }
        return parts.joined(separator: ", ")
    }

    static func line(_ f: ComparedFinding) -> String {
        var where_: String
        switch f.placement {
        case .page: where_ = f.url ?? "?"
        case .repeated: where_ = "repeated on \(f.pages) page(s)"
        case .site: where_ = "site"
        }
        var text = "    [\(f.fingerprint.short)] \(pad(f.severity.rawValue, 8)) \(f.ruleID)  \(where_)"
        if let excerpt = f.excerpt, !excerpt.isEmpty {
            let flat = excerpt.split(whereSeparator: \.isNewline).joined(separator: " ")
            text += "  “\(flat.count > 60 ? String(flat.prefix(57)) + "…" : flat)”"
        }
        if let review = f.review, review.status != .pending {
            text += "  (\(review.status.rawValue)\(review.reason.map { ": \($0)" } ?? ""))"
        }
        return text
    }

    public static func render(_ c: ScanComparison) -> String {
        var out = "tonchi compare\n"
        func side(_ name: String, _ s: ScanSide) {
            out += "  \(name): \(s.label)"
            if let at = s.scannedAt { out += ", scanned \(at)" }
            out += " — \(s.findings) finding(s) on \(s.sites.count) site(s)\n"
        }
        side("old", c.oldScan)
        side("new", c.newScan)
        for w in c.warnings { out += "  warning: \(w)\n" }
        out += "\n\(counts(c.summary))\n"
        for site in c.sites {
            var status = ""
            if !site.inOld { status = " (not in the old scan)" } else if !site.inNew { status = " (not in the new scan)" }
            out += "\n\(site.site)\(status): \(counts(site.counts))\n"
            for (title, list) in [("new", c.new), ("fixed", c.fixed), ("persisting", c.persisting), ("not rechecked", c.notRechecked)] {
                let mine = list.filter { $0.site == site.site }
                guard !mine.isEmpty else { continue }
                out += "  \(title):\n"
                for f in mine { out += line(f) + "\n" }
            }
        }
        if !c.provisions.isEmpty {
            out += "\nper provision (a finding citing several counts under each):\n"
            let width = max(12, c.provisions.map(\.provision.count).max() ?? 0)
            out += "  \(pad("provision", width))  \(lpad("new", 4))  \(lpad("persisting", 10))  \(lpad("fixed", 5))\n"
            for p in c.provisions {
                out += "  \(pad(p.provision, width))  \(lpad(String(p.counts.new), 4))  \(lpad(String(p.counts.persisting), 10))  \(lpad(String(p.counts.fixed), 5))"
                if p.counts.notRechecked > 0 { out += "  (\(p.counts.notRechecked) not rechecked)" }
                out += "\n"
            }
        }
        return out
    }

    public static func render(_ list: ReviewList) -> String {
        let w = list.weights
        let severities = ["critical", "high", "medium", "low", "info"].map { "\($0) \(number(w.severity[$0] ?? 0).replacingOccurrences(of: ".00", with: ""))" }
        var out = "Sites to review, highest weight first\n"
        out += "weight = Σ severity × confidence (\(severities.joined(separator: ", "))); site findings ×\(number(w.siteFinding).replacingOccurrences(of: ".00", with: "")); "
        out += "a finding repeated on many pages counts once; confirmed findings count with confidence 1, false positives not at all\n"
        if list.sites.isEmpty { return out + "\n(no site)\n" }
        for s in list.sites {
            out += "\n\(lpad(String(s.rank), 2)). \(s.site)\(s.name.map { " — \($0)" } ?? "")\n"
            out += "    weight \(number(s.weight)) · \(s.findings) finding(s)"
            let sev = ["critical", "high", "medium", "low", "info"].compactMap { k in s.bySeverity[k].map { "\($0) \(k)" } }
            if !sev.isEmpty { out += " (\(sev.joined(separator: ", ")))" }
            out += " · \(s.pages) page(s) · \(s.source)"
            if s.confirmed > 0 { out += " · \(s.confirmed) confirmed" }
            if s.falsePositives > 0 { out += " · \(s.falsePositives) false positive(s) left out" }
            out += "\n"
            if !s.codes.isEmpty {
                out += "    by code: " + s.codes.map { "\($0.criterion) \($0.count)" }.joined(separator: ", ") + "\n"
            }
            for c in s.criteria {
                out += "    \(lpad(String(c.count), 3)) × \(c.criterion)  (weight \(number(c.weight)))\n"
            }
        }
        return out
    }

    public static func render(scans: [StoredScan], store: String) -> String {
        if scans.isEmpty { return "no scan stored in \(store)\n" }
        var out = ""
        for s in scans {
            out += "scan \(s.id)  \(s.scannedAt)  \(s.kind)  \(s.findings) finding(s)  \(s.sites.joined(separator: " "))"
            if let charter = s.charter { out += "  charter: \(charter)" }
            if !s.complete { out += "  (incomplete)" }
            out += "\n    inputs: \(s.inputs.joined(separator: " "))\n"
        }
        return out
    }

    public static func render(findings: [TrackedFinding]) -> String {
        var out = ""
        for t in findings {
            out += line(ComparedFinding(t)) + "\n"
            out += "        \(t.fingerprint.value)  first seen \(t.firstSeen ?? "?"), last seen \(t.lastSeen ?? "?")\n"
        }
        return out.isEmpty ? "no finding\n" : out
    }
}
