import Foundation
import XCTest

/// The shared corpus of real third-party text, which lives beside the project (never inside it).
public enum SharedCorpus {
    /// Why a test could not find the corpus under CI.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { SharedCorpus.missingMessage }
    }

    static let missingMessage = "shared/corpus not found (set TONCHI_SHARED to the shared folder)"

    /// The `shared/corpus` folder: `$TONCHI_SHARED/corpus` when TONCHI_SHARED is set, else the
    /// nearest ancestor of this file (symlinks resolved, since private builds link the test
    /// folders in) that holds `shared/corpus`. Nil when there is none.
    public static let directory: URL? = {
        let fm = FileManager.default
        if let shared = ProcessInfo.processInfo.environment["TONCHI_SHARED"], !shared.isEmpty {
            let url = URL(fileURLWithPath: shared).appendingPathComponent("corpus")
            return fm.fileExists(atPath: url.path) ? url : nil
        }
        var dir = URL(fileURLWithPath: realPath(#filePath)).deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            let candidate = dir.appendingPathComponent("shared/corpus")
            if fm.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// The corpus folder, or, when it is missing, a skip locally and a failure (then a thrown
    /// `Missing`) when `CI` is `true`: CI must not silently skip the corpus tests.
    public static func require(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        if let directory { return directory }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(missingMessage, file: file, line: line)
            throw Missing()
        }
        throw XCTSkip(missingMessage, file: file, line: line)
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
