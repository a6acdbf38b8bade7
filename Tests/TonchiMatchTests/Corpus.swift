import Foundation
import TonchiTestSupport

/// Real third-party text from the shared corpus, normalized the way the pipeline hands it to the
/// match stage (NFC, lowercased), so the engines are tested on what they will really see.
enum Corpus {
    private static let cache = Cache()

    /// Up to `limit` article bodies of one JSON Lines file, NFC and lowercased, as UTF-8 bytes.
    static func bodies(_ name: String = "dantri-10cat.jsonl", limit: Int = 200) throws -> [[UInt8]] {
        let dir = try SharedCorpus.require()
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
