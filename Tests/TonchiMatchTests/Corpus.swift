import Foundation
import XCTest

/// Real third-party text from the shared corpus, normalized the way the pipeline hands it to the
/// match stage (NFC, lowercased), so the engines are tested on what they will really see.
enum Corpus {
    /// The `shared/corpus` folder: from TONCHI_SHARED, else the nearest ancestor of this file
    /// (symlinks resolved, since private builds link the test folder in) that has one.
    static let directory: URL? = {
        let env = ProcessInfo.processInfo.environment
        if let shared = env["TONCHI_SHARED"], !shared.isEmpty {
            let url = URL(fileURLWithPath: shared).appendingPathComponent("corpus")
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        var dir = URL(fileURLWithPath: realPath(#filePath)).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/corpus")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The corpus folder, or a skip (locally) / failure (CI) when it is missing.
    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        if let directory { return directory }
        let message = "shared/corpus not found (set TONCHI_SHARED to the shared folder)"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(message, file: file, line: line)
            throw XCTSkip(message)
        }
        throw XCTSkip(message)
    }

    private static let cache = Cache()

    /// Up to `limit` article bodies of one JSON Lines file, NFC and lowercased, as UTF-8 bytes.
    static func bodies(_ name: String = "dantri-10cat.jsonl", limit: Int = 200) throws -> [[UInt8]] {
        let dir = try require()
        let key = "\(name)#\(limit)"
        if let hit = cache.get(key) { return hit }
        let url = dir.appendingPathComponent("articles").appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [[UInt8]] = []
        for line in text.split(separator: "\n") where out.count < limit {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let body = object["body"] as? String else { continue }
            out.append(Array(fold(body).utf8))
        }
        cache.put(key, out)
        return out
    }

    static func fold(_ s: String) -> String { s.precomposedStringWithCanonicalMapping.lowercased() }

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var store: [String: [[UInt8]]] = [:]
        func get(_ key: String) -> [[UInt8]]? { lock.lock(); defer { lock.unlock() }; return store[key] }
        func put(_ key: String, _ value: [[UInt8]]) { lock.lock(); store[key] = value; lock.unlock() }
    }
}

extension Array where Element == UInt8 {
    /// Naive substring test, deliberately independent of the engines under test.
    func containsBytes(_ needle: [UInt8], in range: Range<Int>) -> Bool {
        guard !needle.isEmpty else { return true }
        guard range.count >= needle.count else { return false }
        var i = range.lowerBound
        while i + needle.count <= range.upperBound {
            if self[i] == needle[0] && self[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
