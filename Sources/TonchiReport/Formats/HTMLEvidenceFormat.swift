import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiRules
import TonchiIngest
import TonchiScan

/// The evidence report: one self-contained HTML file for a sanction file (hồ sơ xử phạt).
/// Inline CSS only, no network, A4 print styles. Scanned pages are hostile: every text taken
/// from them (excerpts, URLs, titles) is escaped, only http(s) URLs become links, and a strict
/// Content-Security-Policy (no script at all, the one style block allowed by its hash) is the
/// second line of defence.
public struct HTMLEvidenceFormat {
    public var language: ReportLanguage

    public init(language: ReportLanguage = .vi) { self.language = language }

    static let css = """
    :root{--ink:#1a1a1a;--muted:#5b5b5b;--line:#c9c9c9;--warn:#8a4b00;--bad:#a40000;--ok:#1f6b2a;--mark:#ffe27a}
    *{box-sizing:border-box}
    body{font-family:"Times New Roman","Noto Serif","DejaVu Serif",serif;color:var(--ink);margin:0 auto;max-width:200mm;padding:12mm 10mm;font-size:11.5pt;line-height:1.4}
    h1{font-size:17pt;text-align:center;margin:0 0 2mm;text-transform:uppercase}
    .sub{text-align:center;color:var(--muted);margin:0 0 6mm}
    h2{font-size:13.5pt;border-bottom:1.5px solid var(--ink);padding-bottom:1mm;margin:7mm 0 3mm}
    h3{font-size:12pt;margin:5mm 0 2mm}
    table{border-collapse:collapse;width:100%;margin:2mm 0 4mm;font-size:10pt}
    th,td{border:1px solid var(--line);padding:1.2mm 1.8mm;text-align:left;vertical-align:top;overflow-wrap:anywhere}
    th{background:#f1f1f1;font-weight:bold}
    table.kv th{width:32%}
    .mono,code{font-family:"DejaVu Sans Mono","Liberation Mono",monospace;font-size:8.8pt;overflow-wrap:anywhere}
    .finding{border:1px solid var(--line);padding:2mm 3mm;margin:3mm 0}
    tr,.excerpt,.finding h3{break-inside:avoid}.finding h3{break-after:avoid}
    table.loc th:nth-child(1){width:4%}table.loc th:nth-child(2){width:30%}table.loc th:nth-child(3){width:7%}table.loc th:nth-child(6){width:25%}
    .finding h3{margin-top:0}
    .excerpt{background:#fafafa;border-left:3px solid var(--ink);padding:1.5mm 2.5mm;margin:1.5mm 0;white-space:pre-wrap;overflow-wrap:anywhere}
    mark{background:var(--mark);color:inherit;font-weight:bold}
    .check{color:var(--warn);font-weight:bold}
    .v-ok{color:var(--ok);font-weight:bold}.v-ok-legacy{color:var(--ok)}.v-mismatch{color:var(--bad);font-weight:bold}
    .v-absent,.v-not-checkable{color:var(--warn)}
    .warn{border:1px solid var(--warn);color:var(--warn);padding:2mm 3mm;margin:3mm 0}
    .muted{color:var(--muted)}
    table.sum th:nth-child(1){width:34%}table.sum th:nth-child(2){width:12%}table.sum th:nth-child(4){width:14%}
    .money{white-space:nowrap}
    ol.draft li{margin:0 0 2mm}
    .draft-box{border:1px dashed var(--ink);padding:3mm 4mm}
    .note{font-size:9pt;color:var(--muted)}
    @page{size:A4;margin:16mm 14mm 18mm}
    @media print{body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}a{color:inherit;text-decoration:none}.pagebreak{break-before:page}}
    """

    /// The Content-Security-Policy: nothing may load or run; only the report's own style block applies.
    public static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'none'; style-src '\(styleHash)'; img-src 'none'; font-src 'none'; connect-src 'none'; "
            + "media-src 'none'; object-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; "
            + "form-action 'none'; base-uri 'none'"
    }

    static var styleHash: String { "sha256-" + base64(SHA256Digest.hash(Array(css.utf8))) }

    public func render(_ report: EvidenceReport) -> String {
        let l = language
        var h = ""
        h += "<!DOCTYPE html>\n<html lang=\"\(l.rawValue)\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(esc(Self.contentSecurityPolicy))\">\n"
        h += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        h += "<meta name=\"generator\" content=\"\(esc(report.tool.name)) \(esc(report.tool.version))\">\n"
        h += "<title>\(esc(l.t(.title)))\(report.publication?.name.map { " — " + esc($0) } ?? "")</title>\n"
        h += "<style>\(Self.css)</style>\n</head>\n<body>\n"
        h += "<h1>\(esc(l.t(.title)))</h1>\n<p class=\"sub\">\(esc(l.t(report.run == "scan" ? .subtitleScan : .subtitleCheck)))</p>\n"
        if !report.complete { h += "<p class=\"warn\">\(esc(l.t(.incompleteRun)))</p>\n" }
        h += header(report)
        h += summary(report)
        h += findings(report)
        if !report.excluded.isEmpty { h += excluded(report) }
        h += draft(report)
        h += appendix(report)
        if !report.unchecked.isEmpty { h += unchecked(report) }
        h += technical(report)
        h += "<p class=\"note\">\(esc(l.t(.cspNote)))</p>\n</body>\n</html>\n"
        return h
    }

    // MARK: - Sections

    private func header(_ r: EvidenceReport) -> String {
        let l = language
        var rows: [(String, String)] = []
        rows.append((l.t(.authority), esc(r.authority ?? "—")))
        if let p = r.publication {
            rows.append((l.t(.publication), esc(p.name ?? "—")))
            rows.append((l.t(.kind), esc(p.kind.rawValue)))
            if let owner = p.owner { rows.append((l.t(.owner), esc(owner))) }
            if let lic = p.licence {
                var text = esc(lic.number)
                if let d = lic.date { text += " — \(esc(d.description))" }
                if let issuer = lic.issuer { text += " — \(esc(issuer))" }
                rows.append((l.t(.licence), text))
            } else {
                rows.append((l.t(.licence), "—"))
            }
            if !p.domains.isEmpty { rows.append((l.t(.domains), esc(p.domains.joined(separator: ", ")))) }
            if let resp = p.responsible { rows.append((l.t(.responsible), esc(resp))) }
            if let purpose = p.purpose { rows.append((l.t(.purpose), esc(purpose))) }
            for site in p.sites {
                let line = site.licenceLine.map { "\(esc(l.t(.licenceLineSeen))): “\(esc($0))”" } ?? esc(l.t(.noLicenceLine))
                rows.append((l.t(.siteAsSeen), "<span class=\"mono\">\(esc(site.host))</span> — \(esc(site.name ?? "?")); \(line); \(site.pages) \(esc(l.t(.pagesCount)))"))
            }
        } else {
            rows.append((l.t(.kind), esc(r.kind.rawValue)))
        }
        rows.append((l.t(.scanTime), esc(r.generatedAt)))
        rows.append((l.t(.inputs), r.inputs.map { "<span class=\"mono\">\(esc($0.path))</span>" }.joined(separator: "<br>")))
        if let p = r.period {
            var parts: [String] = []
            if let a = p.capturedFrom, let b = p.capturedTo { parts.append("\(esc(l.t(.captured))): \(esc(a)) → \(esc(b))") }
            if let a = p.publishedFrom, let b = p.publishedTo { parts.append("\(esc(l.t(.published))): \(esc(a)) → \(esc(b))") }
            rows.append((l.t(.period), parts.joined(separator: "<br>")))
        }
        if let c = r.coverage {
            rows.append((l.t(.coverage), "\(c.recordsRead) records, \(c.pagesScanned) \(esc(l.t(.pagesCount))), \(c.unchecked.count) unchecked"))
        }
        return "<h2>1. \(esc(l.t(.header)))</h2>\n" + kv(rows)
    }

    private func summary(_ r: EvidenceReport) -> String {
        let l = language
        var h = "<h2>2. \(esc(l.t(.summary)))</h2>\n"
        guard !r.provisions.isEmpty else { return h + "<p>\(esc(l.t(.noFindings)))</p>\n" }
        h += "<table class=\"sum\"><thead><tr><th>\(esc(l.t(.provision)))</th><th>\(esc(l.t(.findingsCol)))</th><th>\(esc(l.t(.sanctions)))</th><th>\(esc(l.t(.confidence)))</th></tr></thead><tbody>\n"
        for p in r.provisions {
            h += "<tr><td><strong>\(esc(p.id))</strong><br>\(esc(p.instrument))\(p.location.map { "<br>" + esc($0) } ?? "")<br><span class=\"muted\">\(esc(p.behaviour))</span></td>"
            h += "<td>\(p.findings.count): \(esc(p.findings.joined(separator: ", ")))</td><td>"
            h += "<strong>\(esc(l.t(.fineOrg))):</strong> \(fines(p.fineOrganisation))<br>"
            h += "<strong>\(esc(l.t(.fineInd))):</strong> \(fines(p.fineIndividual))"
            h += p.fineNote.map { "<br><span class=\"note\">\(esc(l.t(.fineNote))): \(esc($0))</span>" } ?? ""
            h += "<br><strong>\(esc(l.t(.additional))):</strong> \(list(p.additional))"
            h += "<br><strong>\(esc(l.t(.remedial))):</strong> \(list(p.remedial))</td>"
            h += "<td>\(esc(p.confidence))\(p.needsChecking ? "<br><span class=\"check\">\(esc(l.t(.needsChecking)))</span>" : "")</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    private func findings(_ r: EvidenceReport) -> String {
        let l = language
        var h = "<h2>3. \(esc(l.t(.findings)))</h2>\n"
        if r.findings.isEmpty { return h + "<p>\(esc(l.t(.noFindings)))</p>\n" }
        for f in r.findings {
            h += "<section class=\"finding\" id=\"\(esc(f.id))\">\n<h3>\(esc(f.id)). \(esc(f.title))</h3>\n"
            var rows: [(String, String)] = [
                (l.t(.rule), "<code>\(esc(f.ruleID))</code> — \(esc(f.message))"),
                (l.t(.criterion), esc(f.criterion)),
                (l.t(.severity), "\(esc(l.severity(f.severity))) · \(esc(l.t(.confidence))) \(String(format2: f.confidence))"),
                (l.t(.site), "<span class=\"mono\">\(esc(f.site))</span> — \(esc(l.placement(f.placement)))"
                    + (f.placement == "repeated" ? " (\(f.locations.count) \(esc(l.t(.pagesCount))); \(esc(l.t(.allPagesNote))))" : "")),
            ]
            let cites = f.citations.map { c in
                "<strong>\(esc(c.id))</strong> — \(esc(c.instrument)): \(esc(c.behaviour)) [\(esc(c.confidence))]"
                    + (c.needsChecking ? " <span class=\"check\">(\(esc(l.t(.needsChecking))))</span>" : "")
            }
            rows.append((l.t(.citation), cites.joined(separator: "<br>")))
            rows.append((l.t(.citationDate), "\(esc(f.citationDate.description)) — \(esc(l.t(.whyDate))): \(esc(l.dateReason(f.citationDateSource)))"))
            if let warning = f.citationWarning { rows.append((l.t(.citationWarning), "<span class=\"check\">\(esc(warning))</span>")) }
            h += kv(rows)
            if !f.spans.isEmpty {
                let first = f.locations.first
                h += "<p><strong>\(esc(l.t(.excerpt)))</strong>\(first.map { " — " + pageRef($0.page) + ($0.evidence.map { " [\(esc($0))]" } ?? "") } ?? "")</p>\n"
                for span in f.spans {
                    h += "<div class=\"excerpt\">…\(esc(String(span.before.suffix(160))))<mark>\(esc(span.excerpt))</mark>\(esc(String(span.after.prefix(160))))…</div>\n"
                    h += "<p class=\"note\">\(esc(l.t(.bytes))) \(span.start)–\(span.end) · \(esc(l.t(.line))) \(span.line):\(span.column) · \(esc(l.t(.scope))) \(esc(span.scope))"
                    h += span.diacriticFree ? " · \(esc(l.t(.withoutDiacritics)))" : ""
                    h += "</p>\n"
                }
                if f.totalSpans > f.spans.count { h += "<p class=\"note\">+\(f.totalSpans - f.spans.count) \(esc(l.t(.moreSpans)))</p>\n" }
            }
            h += "<p><strong>\(esc(l.t(.locations)))</strong> (\(f.locations.count))</p>\n"
            h += "<table class=\"loc\"><thead><tr><th>#</th><th>\(esc(l.t(.page)))</th><th>\(esc(l.t(.evidence)))</th><th>\(esc(l.t(.capturedAt)))</th><th>\(esc(l.t(.publishedAt)))</th><th>\(esc(l.t(.sha256)))</th><th>\(esc(l.t(.warcDigest)))</th></tr></thead><tbody>\n"
            for (n, location) in f.locations.enumerated() {
                let item = r.evidenceItem(location.evidence)?.page
                h += "<tr><td>\(n + 1)</td><td>\(pageRef(location.page))</td><td>\(esc(location.evidence ?? "—"))</td>"
                h += "<td>\(esc(item?.captureDate ?? "—"))</td><td>\(esc(item?.published ?? l.t(.notStated)))</td>"
                h += "<td class=\"mono\">\(esc(item?.sha256 ?? "—"))</td><td>\(item.map { verdict($0.digest) } ?? "—")</td></tr>\n"
            }
            h += "</tbody></table>\n</section>\n"
        }
        return h
    }

    private func draft(_ r: EvidenceReport) -> String {
        let l = language
        var h = "<h2 class=\"pagebreak\">4. \(esc(l.t(.draft)))</h2>\n"
        guard !r.provisions.isEmpty else { return h + "<p>\(esc(l.t(.noFindings)))</p>\n" }
        h += "<div class=\"draft-box\">\n<p>\(esc(l.t(.draftIntro)))</p>\n<ol class=\"draft\">\n"
        var flagged = false
        for p in r.provisions {
            let findings = r.findings.filter { p.findings.contains($0.id) }
            let pages = Array(Set(findings.flatMap { $0.locations.map(\.page) })).sorted()
            let evidence = Array(Set(findings.flatMap { $0.locations.compactMap(\.evidence) }))
                .sorted { (Int($0.dropFirst()) ?? 0) < (Int($1.dropFirst()) ?? 0) }
            let place = [p.location, p.instrument].compactMap { $0 }.joined(separator: " ")
            var item = "\(esc(p.behaviour)), \(l == .vi ? "quy định tại" : "under") \(esc(place))"
            item += "; \(esc(l.t(.draftShownAt))) \(pages.count) \(esc(l.t(.pagesCount)))"
            if let firstPage = pages.first { item += " (\(esc(firstPage))\(pages.count > 1 ? ", …" : ""))" }
            item += "; \(esc(l.t(.draftFindings))): \(esc(p.findings.joined(separator: ", ")))"
            if !evidence.isEmpty { item += "; \(esc(l.t(.draftEvidence))): \(esc(evidence.joined(separator: ", ")))" }
            item += "."
            if p.needsChecking { item += " <span class=\"check\">(\(esc(l.t(.needsChecking))))</span>"; flagged = true }
            h += "<li>\(item)</li>\n"
        }
        h += "</ol>\n</div>\n"
        if flagged { h += "<p class=\"check\">\(esc(l.t(.draftCheck)))</p>\n" }
        return h
    }

    private func appendix(_ r: EvidenceReport) -> String {
        let l = language
        var h = "<h2>5. \(esc(l.t(.appendix)))</h2>\n<p class=\"note\">\(esc(l.t(.evidenceItems)))</p>\n"
        guard !r.evidence.isEmpty else { return h + "<p>—</p>\n" }
        h += "<table><thead><tr><th>\(esc(l.t(.evidence)))</th><th>\(esc(l.t(.page)))</th><th>\(esc(l.t(.record)))</th><th>\(esc(l.t(.capturedAt)))</th>"
        h += "<th>\(esc(l.t(.publishedAt)))</th><th>\(esc(l.t(.size)))</th><th>\(esc(l.t(.sha256)))</th><th>\(esc(l.t(.warcDigest)))</th></tr></thead><tbody>\n"
        for item in r.evidence {
            let p = item.page
            h += "<tr id=\"\(esc(item.id))\"><td><strong>\(esc(item.id))</strong></td><td>\(pageRef(p.name))\(p.title.map { "<br><span class=\"muted\">\(esc($0))</span>" } ?? "")</td>"
            h += "<td class=\"mono\">\(esc(p.location.description))</td><td>\(esc(p.captureDate ?? "—"))</td><td>\(esc(p.published ?? l.t(.notStated)))</td>"
            h += "<td>\(p.bytes) \(esc(l.t(.bytes)))</td><td class=\"mono\">\(esc(p.sha256))</td>"
            h += "<td>\(verdict(p.digest))\(p.digest.declared.map { "<br><span class=\"mono\">\(esc($0))</span>" } ?? "")<br><span class=\"note\">\(esc(p.digest.detail))</span></td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    private func excluded(_ r: EvidenceReport) -> String {
        let l = language
        var h = "<h3>\(esc(l.t(.excluded)))</h3>\n<p>\(esc(l.t(.excludedIntro)))</p>\n"
        h += "<table><thead><tr><th></th><th>\(esc(l.t(.page)))</th><th>\(esc(l.t(.reason)))</th></tr></thead><tbody>\n"
        for f in r.excluded {
            h += "<tr><td><strong>\(esc(f.id))</strong> <code>\(esc(f.ruleID))</code><br>\(esc(f.title))</td>"
            h += "<td>\(f.locations.first.map { pageRef($0.page) } ?? "")</td><td>\(esc(f.exclusion?.justification ?? ""))</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    private func unchecked(_ r: EvidenceReport) -> String {
        let l = language
        var h = "<h2>6. \(esc(l.t(.unchecked)))</h2>\n<p>\(esc(l.t(.uncheckedIntro)))</p>\n"
        h += "<table><thead><tr><th>\(esc(l.t(.record)))</th><th>\(esc(l.t(.reason)))</th><th></th></tr></thead><tbody>\n"
        for item in r.unchecked {
            h += "<tr><td class=\"mono\">\(esc(item.location))</td><td>\(esc(item.reason))</td><td>\(esc(item.detail))</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    private func technical(_ r: EvidenceReport) -> String {
        let l = language
        var rows: [(String, String)] = [
            (l.t(.toolVersion), esc("\(r.tool.name) \(r.tool.version)")),
            (l.t(.rulesHash), "<span class=\"mono\">\(esc(r.tool.rulesHash))</span>"),
            (l.t(.ruleCount), "\(r.tool.ruleCount)"),
        ]
        for input in r.inputs {
            rows.append((l.t(.inputs), "<span class=\"mono\">\(esc(input.path))</span> (\(esc(input.type))\(input.bytes.map { ", \($0) \(esc(l.t(.bytes)))" } ?? ""))<br>SHA-256 <span class=\"mono\">\(esc(input.sha256 ?? "—"))</span>"))
        }
        rows.append((l.t(.command), "<code>\(esc(r.command.map(SARIFFormat.shellQuoted).joined(separator: " ")))</code>"))
        rows.append((l.t(.reportSchema), "<code>\(esc(r.schema))</code>"))
        return "<h2>\(r.unchecked.isEmpty ? "6" : "7"). \(esc(l.t(.technical)))</h2>\n" + kv(rows)
    }

    // MARK: - Pieces

    private func kv(_ rows: [(String, String)]) -> String {
        "<table class=\"kv\"><tbody>\n" + rows.map { "<tr><th>\(esc($0.0))</th><td>\($0.1)</td></tr>\n" }.joined() + "</tbody></table>\n"
    }

    private func list(_ items: [String]) -> String {
        items.isEmpty ? "<span class=\"muted\">\(esc(language.t(.notInCatalog)))</span>" : items.map(esc).joined(separator: "<br>")
    }

    private func fines(_ fines: [LegalCatalog.Fine]) -> String {
        guard !fines.isEmpty else { return "<span class=\"muted\">\(esc(language.t(.notInCatalog)))</span>" }
        return fines.map { fine in
            let amount = fine.min == fine.max ? money(fine.min) : "\(money(fine.min)) – \(money(fine.max))"
            return fine.label.map { "\(esc($0.replacingOccurrences(of: "_", with: " "))): \(amount)" } ?? amount
        }.joined(separator: "<br>")
    }

    private func money(_ amount: Int) -> String { "<span class=\"money\">\(esc(language.money(amount)))</span>" }

    private func verdict(_ check: DigestCheck) -> String {
        "<span class=\"v-\(check.verdict.rawValue)\">\(esc(language.verdict(check.verdict)))</span>"
    }

    /// A page's URL as text; a link only for http(s), never opening anything else.
    public func pageRef(_ page: String) -> String {
        let lower = page.lowercased()
        if (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && !page.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }) {
            return "<a class=\"mono\" href=\"\(esc(page))\" rel=\"noopener noreferrer\">\(esc(page))</a>"
        }
        return "<span class=\"mono\">\(esc(page))</span>"
    }
}

/// Escapes text for HTML element content and quoted attribute values; control characters, which
/// no page should smuggle into a report, become U+FFFD.
public func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "`": out += "&#96;"
        case "\n", "\t": out.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { out += "\u{FFFD}" }
            else { out.unicodeScalars.append(scalar) }
        }
    }
    return out
}

func base64(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        let b0 = Int(bytes[i]), b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
        out.append(table[b0 >> 2])
        out.append(table[((b0 & 3) << 4) | (b1 >> 4)])
        out.append(i + 1 < bytes.count ? table[((b1 & 15) << 2) | (b2 >> 6)] : UInt8(ascii: "="))
        out.append(i + 2 < bytes.count ? table[b2 & 63] : UInt8(ascii: "="))
        i += 3
    }
    return String(decoding: out, as: UTF8.self)
}
