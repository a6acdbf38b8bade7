import Foundation
import TonchiScan

/// Why a file could not be read as a scan result; its description names the file and the reason.
public struct ScanFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Reading a `tonchi scan --format json` result back, with errors that say what is wrong.
public enum ScanFile {
    public static func load(path: String) throws -> ScanReport {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file (\(error.localizedDescription))" : "no such file"
            throw ScanFileError(path: path, reason: reason)
        }
        return try decode(data, path: path)
    }

    public static func decode(_ data: Data, path: String) throws -> ScanReport {
        if data.isEmpty { throw ScanFileError(path: path, reason: "the file is empty, not a tonchi scan result") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw ScanFileError(path: path, reason: "not JSON (\(describe(error))); expected the output of 'tonchi scan --format json'")
        }
        guard let top = object as? [String: Any] else {
            throw ScanFileError(path: path, reason: "JSON but not an object; expected the output of 'tonchi scan --format json'")
        }
        guard let schema = top["schema"] as? String else {
            throw ScanFileError(path: path, reason: "JSON without a \"schema\" field: not a tonchi scan result")
        }
        guard schema == ScanReport.schema else {
            let hint = schema.hasPrefix("tonchi.scan/") ? "written by another version of tonchi" : "not a scan result"
            throw ScanFileError(path: path, reason: "schema \"\(schema)\" is not \"\(ScanReport.schema)\" (\(hint))")
        }
        do { return try JSONDecoder().decode(ScanReport.self, from: data) } catch {
            throw ScanFileError(path: path, reason: "a \(ScanReport.schema) result that does not decode: \(describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else {
            let ns = error as NSError
            return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
        }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "at the top" : "at \(p.hasPrefix(".") ? String(p.dropFirst()) : p)"
        }
        switch decoding {
        case .keyNotFound(let key, let context): return "missing field \"\(key.stringValue)\" \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) \(path(context))"
        @unknown default: return "\(decoding)"
        }
    }
}
