import Foundation
import TonchiCore
import TonchiIngest
import TonchiScan

/// The integrity manifest ("tonchi.manifest/1") written beside a report: the report's own hash,
/// the inputs' hashes, and every evidence item's hash with where it sits in its input, so that
/// `tonchi verify` can later show nothing changed — or say exactly what did.
public struct Manifest: Sendable, Codable {
    public static let schema = "tonchi.manifest/1"
    public let schema: String
    public let tool: ToolInfo
    public let generatedAt: String
    public let command: [String]
    /// The files written: the report (and its PDF).
    public let outputs: [OutputFile]
    public let inputs: [EvidenceReport.InputFile]
    public let evidence: [Item]

    public struct OutputFile: Sendable, Codable {
        public let role: String
        public let path: String
        public let bytes: Int
        public let sha256: String
    }

    public struct Item: Sendable, Codable {
        public let id: String
        public let page: String
        public let file: String
        public let offset: Int?
        public let recordID: String?
        public let bytes: Int
        public let sha256: String
        public let warcPayloadDigest: String?
        public let digestVerdict: String
    }

    public init(report: EvidenceReport, outputs: [OutputFile]) {
        schema = Self.schema
        tool = report.tool
        generatedAt = report.generatedAt
        command = report.command
        self.outputs = outputs
        inputs = report.inputs
        evidence = report.evidence.map { e in
            Item(id: e.id, page: e.page.name, file: e.page.location.file, offset: e.page.location.offset,
                 recordID: e.page.location.recordID, bytes: e.page.bytes, sha256: e.page.sha256,
                 warcPayloadDigest: e.page.digest.declared, digestVerdict: e.page.digest.verdict.rawValue)
        }
    }

    public func render() -> String { JSONFormat.render(self) }

    public static func output(role: String, path: String) throws -> OutputFile {
        let (bytes, sha) = try FileHashing.file(path)
        return OutputFile(role: role, path: path, bytes: bytes, sha256: sha)
    }
}

/// Hashes of files and folders, read in chunks.
public enum FileHashing {
    public static func file(_ path: String) throws -> (bytes: Int, sha256: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var digest = SHA256Digest()
        var total = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            total += chunk.count
            digest.update([UInt8](chunk))
        }
        return (total, Digests.hex(digest.finish()))
    }

    /// A folder: SHA-256 over "relative path NUL sha256 LF" for each file, sorted by path.
    public static func folder(_ path: String) throws -> (bytes: Int, sha256: String) {
        let root = URL(fileURLWithPath: path)
        let files = (FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL } ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map { String($0.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count)).trimmingPrefix("/") }
            .sorted()
        var digest = SHA256Digest()
        var total = 0
        for relative in files {
            let (bytes, sha) = try file(root.appendingPathComponent(relative).path)
            total += bytes
            digest.update(Array("\(relative)\u{0}\(sha)\n".utf8))
        }
        return (total, Digests.hex(digest.finish()))
    }

    /// How an input is described in reports and manifests.
    public static func describe(_ path: String, shownAs name: String? = nil) -> EvidenceReport.InputFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .init(path: name ?? path, type: "missing", bytes: nil, sha256: nil)
        }
        let type = name == "-" ? "stdin" : (isDirectory.boolValue ? "folder" : "file")
        let hashed = try? (isDirectory.boolValue ? folder(path) : file(path))
        return .init(path: name ?? path, type: type, bytes: hashed?.bytes, sha256: hashed?.sha256)
    }
}

extension String {
    func trimmingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}

/// `tonchi verify`: re-checks a manifest against the files on disk.
public enum ManifestVerifier {
    public struct Line: Sendable {
        public enum Status: String, Sendable { case ok = "ok", differs = "DIFFERS", missing = "MISSING", skipped = "skipped" }
        public let status: Status
        public let what: String
        public let name: String
        public let detail: String
        public var text: String { "\(status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(what) \(name): \(detail)" }
    }

    /// Paths are tried as written, then relative to the manifest's folder.
    public static func verify(_ manifest: Manifest, manifestPath: String) -> [Line] {
        let base = URL(fileURLWithPath: manifestPath).deletingLastPathComponent()
        func resolve(_ path: String) -> String? {
            if FileManager.default.fileExists(atPath: path) { return path }
            if !path.hasPrefix("/") {
                let candidate = base.appendingPathComponent(path).path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
            return nil
        }
        var lines: [Line] = []
        for output in manifest.outputs {
            guard let path = resolve(output.path) else {
                lines.append(Line(status: .missing, what: output.role, name: output.path, detail: "file not found")); continue
            }
            lines.append(compare(what: output.role, name: output.path, expected: (output.bytes, output.sha256), found: try? FileHashing.file(path)))
        }
        var resolvedInputs: [String: String] = [:]
        for input in manifest.inputs {
            if input.type == "stdin" {
                lines.append(Line(status: .skipped, what: "input", name: input.path, detail: "standard input cannot be read again")); continue
            }
            guard let path = resolve(input.path) else {
                lines.append(Line(status: .missing, what: "input", name: input.path, detail: "file not found")); continue
            }
            resolvedInputs[input.path] = path
            guard let sha = input.sha256 else {
                lines.append(Line(status: .skipped, what: "input", name: input.path, detail: "no hash recorded")); continue
            }
            let found = try? (input.type == "folder" ? FileHashing.folder(path) : FileHashing.file(path))
            lines.append(compare(what: "input", name: input.path, expected: (input.bytes ?? -1, sha), found: found))
        }
        // Evidence items: read each input again and find the record each item came from.
        var byInput: [String: [Manifest.Item]] = [:]
        var orphans: [Manifest.Item] = []
        for item in manifest.evidence {
            if let input = manifest.inputs.map(\.path).filter({ item.file == $0 || item.file.hasPrefix($0 + "/") }).max(by: { $0.count < $1.count }) {
                byInput[input, default: []].append(item)
            } else {
                orphans.append(item)
            }
        }
        for item in orphans {
            lines.append(Line(status: .skipped, what: item.id, name: item.page, detail: "its file \(item.file) is not among the inputs"))
        }
        for input in manifest.inputs.map(\.path) where byInput[input] != nil {
            let items = byInput[input]!
            guard let path = resolvedInputs[input] else {
                for item in items { lines.append(Line(status: .missing, what: item.id, name: item.page, detail: "input \(input) not found")) }
                continue
            }
            var found: [String: (Int, String)] = [:]
            func key(_ file: String, _ offset: Int?, _ record: String?) -> String { "\(file)|\(offset ?? -1)|\(record ?? "")" }
            let wanted = Set(items.map { key($0.file, $0.offset, $0.recordID) })
            try? Dump.read(path: path, limits: .standard) { event in
                guard case .item(let captured) = event else { return }
                let file = input + String(captured.location.file.dropFirst(path.count))
                let k = key(file, captured.location.offset, captured.location.recordID)
                if wanted.contains(k) { found[k] = (captured.body.count, SHA256Digest.hex(captured.body)) }
            }
            for item in items {
                let k = key(item.file, item.offset, item.recordID)
                let place = [item.file, item.offset.map { "offset \($0)" }, item.recordID].compactMap { $0 }.joined(separator: ", ")
                guard let (bytes, sha) = found[k] else {
                    lines.append(Line(status: .missing, what: item.id, name: item.page, detail: "no record at \(place)")); continue
                }
                lines.append(compare(what: item.id, name: item.page, expected: (item.bytes, item.sha256), found: (bytes, sha), place: place))
            }
        }
        return lines
    }

    static func compare(what: String, name: String, expected: (Int, String), found: (bytes: Int, sha256: String)?, place: String? = nil) -> Line {
        guard let found else { return Line(status: .missing, what: what, name: name, detail: "cannot be read") }
        let at = place.map { " (\($0))" } ?? ""
        if found.sha256 == expected.1 {
            return Line(status: .ok, what: what, name: name, detail: "sha256 \(found.sha256)\(at)")
        }
        var detail = "sha256 expected \(expected.1), found \(found.sha256)"
        if expected.0 >= 0 && expected.0 != found.bytes { detail += "; size expected \(expected.0) bytes, found \(found.bytes)" }
        return Line(status: .differs, what: what, name: name, detail: detail + at)
    }
}
