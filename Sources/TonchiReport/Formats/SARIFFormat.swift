import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiRules

/// SARIF 2.1.0 (OASIS): the rules that fired with their help text, the legal catalog as a taxonomy
/// (each cited provision a taxon, results and rules pointing at it), results located by byte
/// region in the captured payload with `partialFingerprints`, and every unreadable or
/// incompletely checked item as a tool execution notification.
public enum SARIFFormat {
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    public static let taxonomyName = "tonchi-legal-catalog"
    static let checkNote = "cần đối chiếu văn bản gốc"

    public static func render(_ report: EvidenceReport) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: log(report), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func log(_ report: EvidenceReport) -> [String: Any] {
        // Rules in order of first result.
        var ruleOrder: [String] = []
        var ruleFinding: [String: EvidenceReport.ReportFinding] = [:]
        for f in report.findings + report.excluded where ruleFinding[f.ruleID] == nil { ruleOrder.append(f.ruleID); ruleFinding[f.ruleID] = f }
        let taxonIndex = Dictionary(uniqueKeysWithValues: report.provisions.enumerated().map { ($1.id, $0) })
        func taxonRef(_ id: String) -> [String: Any] {
            var ref: [String: Any] = ["id": id, "toolComponent": ["name": taxonomyName, "index": 0]]
            if let i = taxonIndex[id] { ref["index"] = i }
            return ref
        }

        let rules: [[String: Any]] = ruleOrder.map { id in
            let f = ruleFinding[id]!
            let cites = f.citations.map { c in "\(c.id) — \(c.instrument): \(c.behaviour)" + (c.needsChecking ? " (\(c.confidence): \(checkNote))" : "") }
            let helpText = "\(f.message)\nTiêu chí: \(f.criterion)\nCăn cứ: " + cites.joined(separator: "; ")
            let helpMarkdown = "\(markdown(f.message))\n\n**Tiêu chí:** \(markdown(f.criterion))\n\n**Căn cứ:**\n"
                + cites.map { "- \(markdown($0))" }.joined(separator: "\n")
            return [
                "id": id,
                "name": ruleName(id),
                "shortDescription": ["text": f.title],
                "fullDescription": ["text": f.message],
                "help": ["text": helpText, "markdown": helpMarkdown],
                "defaultConfiguration": ["level": level(f.severity)],
                "properties": ["severity": f.severity.rawValue, "criterion": f.criterion],
                "relationships": f.citations.map { ["target": taxonRef($0.id), "kinds": ["relevant"]] as [String: Any] },
            ]
        }

        let taxa: [[String: Any]] = report.provisions.map { p in
            var properties: [String: Any] = ["instrument": p.instrument, "confidence": p.confidence, "needsChecking": p.needsChecking]
            if p.needsChecking { properties["note"] = checkNote }
            if let location = p.location { properties["location"] = location }
            if !p.remedial.isEmpty { properties["remedial"] = p.remedial }
            if !p.additional.isEmpty { properties["additional"] = p.additional }
            if let fine = fineText(p.fineOrganisation) { properties["fineOrganisation"] = fine }
            if let fine = fineText(p.fineIndividual) { properties["fineIndividual"] = fine }
            return ["id": p.id, "name": p.instrument,
                    "shortDescription": ["text": p.behaviour + (p.needsChecking ? " (\(p.confidence): \(checkNote))" : "")],
                    "properties": properties]
        }

        // Artifacts: the inputs, then each evidence item (a captured page) with its SHA-256.
        var artifacts: [[String: Any]] = report.inputs.map { input in
            var a: [String: Any] = ["location": ["uri": uri(input.path)], "roles": ["analysisTarget"]]
            if let bytes = input.bytes { a["length"] = bytes }
            if let sha = input.sha256 { a["hashes"] = ["sha-256": sha] }
            if input.type == "folder" { a["properties"] = ["hashOf": "sorted relative paths and SHA-256 of the folder's files"] }
            return a
        }
        var artifactIndex: [String: Int] = [:]
        for item in report.evidence {
            artifactIndex[item.id] = artifacts.count
            var properties: [String: Any] = ["evidence": item.id, "record": item.page.location.description,
                                             "payloadDigest": item.page.digest.verdict.rawValue,
                                             "payloadDigestDetail": item.page.digest.detail]
            if let c = item.page.captureDate { properties["captured"] = c }
            if let p = item.page.published { properties["published"] = p }
            if let d = item.page.digest.declared { properties["warcPayloadDigest"] = d }
            artifacts.append(["location": ["uri": uri(item.page.name)], "length": item.page.bytes,
                              "hashes": ["sha-256": item.page.sha256], "properties": properties])
        }

        // Suppressed and allowlisted findings are results too, carrying SARIF suppressions.
        let results: [[String: Any]] = (report.findings + report.excluded).map { f in
            let first = f.locations.first
            let artifact: [String: Any] = {
                var a: [String: Any] = ["uri": uri(first?.page ?? f.site)]
                if let e = first?.evidence, let i = artifactIndex[e] { a["index"] = i }
                return a
            }()
            var locations: [[String: Any]] = f.spans.map { span in
                ["physicalLocation": ["artifactLocation": artifact, "region": region(span)]]
            }
            if locations.isEmpty { locations = [["physicalLocation": ["artifactLocation": artifact]]] }
            let related: [[String: Any]] = f.locations.dropFirst().enumerated().map { n, location in
                var a: [String: Any] = ["uri": uri(location.page)]
                if let e = location.evidence, let i = artifactIndex[e] { a["index"] = i }
                return ["id": n + 1, "physicalLocation": ["artifactLocation": a],
                        "message": ["text": "same finding on this page"]]
            }
            let flagged = f.citations.filter(\.needsChecking).map(\.id)
            var text = f.message
            if !flagged.isEmpty { text += " (\(flagged.joined(separator: ", ")): \(checkNote))" }
            if f.locations.count > 1 { text += " — \(f.locations.count) pages" }
            var properties: [String: Any] = [
                "finding": f.id, "site": f.site, "placement": f.placement, "severity": f.severity.rawValue,
                "confidence": f.confidence, "criterion": f.criterion,
                "citationDate": f.citationDate.description, "citationDateSource": f.citationDateSource.rawValue,
                "pages": f.locations.count, "totalSpans": f.totalSpans,
                "citations": f.citations.map { ["id": $0.id, "confidence": $0.confidence, "needsChecking": $0.needsChecking] as [String: Any] },
            ]
            if let warning = f.citationWarning { properties["citationWarning"] = warning }
            var result: [String: Any] = [
                "ruleId": f.ruleID,
                "ruleIndex": ruleOrder.firstIndex(of: f.ruleID)!,
                "level": level(f.severity),
                "message": ["text": text],
                "locations": locations,
                "partialFingerprints": ["tonchiFinding/v1": f.fingerprint],
                "taxa": f.citations.map { taxonRef($0.id) },
                "properties": properties,
            ]
            if !related.isEmpty { result["relatedLocations"] = related }
            if let exclusion = f.exclusion {
                result["suppressions"] = [["kind": exclusion.kind, "justification": exclusion.justification]]
            }
            return result
        }

        let notifications: [[String: Any]] = report.unchecked.map { item in
            ["level": item.reason == "unreadable" ? "error" : "warning",
             "message": ["text": "\(item.reason): \(item.detail)"],
             "locations": [["physicalLocation": ["artifactLocation": ["uri": uri(locationFile(item.location))]],
                            "message": ["text": item.location]]],
             "descriptor": ["id": "tonchi/\(item.reason)"]] as [String: Any]
        }

        let run: [String: Any] = [
            "tool": ["driver": [
                "name": report.tool.name, "version": report.tool.version, "semanticVersion": report.tool.version,
                "informationUri": "https://example.invalid/tonchi",
                "rules": rules,
                "supportedTaxonomies": [["name": taxonomyName, "index": 0]],
                "properties": ["rulesHash": report.tool.rulesHash, "ruleCount": report.tool.ruleCount],
            ] as [String: Any]],
            "taxonomies": [[
                "name": taxonomyName,
                "organization": "tonchi",
                "shortDescription": ["text": "Provisions of Vietnamese press law cited by tonchi's rules (Rules/legal/catalog.yaml)"],
                "isComprehensive": false,
                "taxa": taxa,
            ] as [String: Any]],
            "invocations": [[
                "executionSuccessful": report.complete,
                "commandLine": report.command.map(shellQuoted).joined(separator: " "),
                "arguments": Array(report.command.dropFirst()),
                "endTimeUtc": report.generatedAt,
                "toolExecutionNotifications": notifications,
            ] as [String: Any]],
            "artifacts": artifacts,
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": ["schema": report.schema, "run": report.run, "kind": report.kind.rawValue,
                           "authority": report.authority ?? "", "publication": report.publication?.name ?? ""],
        ]
        return ["$schema": schemaURI, "version": "2.1.0", "runs": [run]]
    }

    static func region(_ span: Span) -> [String: Any] {
        var r: [String: Any] = ["byteOffset": span.start, "byteLength": max(0, span.end - span.start),
                                "snippet": ["text": span.excerpt]]
        if span.line > 0 { r["startLine"] = span.line }
        if span.column > 0 { r["startColumn"] = span.column }
        return r
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    /// "tts.press-sections" → "TtsPressSections" (SARIF rule names are identifiers).
    static func ruleName(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func fineText(_ fines: [LegalCatalog.Fine]) -> String? {
        let parts = fines.map { fine -> String in
            let amount = "\(fine.min)–\(fine.max) VND"
            return fine.label.map { "\($0): \(amount)" } ?? amount
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static func markdown(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "\\`*_{}[]()#+-.!<>|".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// A URL or a path as a URI reference: anything outside RFC 3986's characters percent-encoded.
    static func uri(_ text: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".utf8)
        var out = ""
        for byte in text.utf8 {
            if allowed.contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) }
            else { out += String(format: "%%%02X", byte) }
        }
        return out.isEmpty ? "unknown" : out
    }

    /// "file.warc.gz, offset 12, <urn:…>" → "file.warc.gz".
    static func locationFile(_ location: String) -> String {
        location.components(separatedBy: ", offset ").first?.components(separatedBy: ", ").first ?? location
    }

    static func shellQuoted(_ argument: String) -> String {
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./=:,+@%".unicodeScalars)
        if !argument.isEmpty && argument.unicodeScalars.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
