import Foundation
import ZIPFoundation

/// Unpacks a zip of a site mirror into a folder, refusing what could escape it or fill the disk:
/// absolute paths and `..` (zip-slip), symbolic links, too many entries, and more bytes than
/// `maxBytes` in total, counted as they are written (a size bomb's declared sizes are not trusted).
enum SafeUnzip {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func extract(_ zip: URL, to folder: URL, maxBytes: Int, maxEntries: Int = 50_000) throws -> (files: Int, bytes: Int) {
        let archive: Archive
        do { archive = try Archive(url: zip, accessMode: .read) } catch {
            throw Failure(description: "tệp zip không đọc được: \(error)")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let root = folder.standardizedFileURL.path
        var files = 0, total = 0, entries = 0
        for entry in archive {
            entries += 1
            if entries > maxEntries { throw Failure(description: "tệp zip có hơn \(maxEntries) mục") }
            guard let relative = safeRelativePath(entry.path) else {
                throw Failure(description: "tệp zip chứa đường dẫn không an toàn: \(entry.path.prefix(200))")
            }
            switch entry.type {
            case .directory:
                try FileManager.default.createDirectory(at: folder.appendingPathComponent(relative), withIntermediateDirectories: true)
                continue
            case .symlink:
                continue  // never followed, never created
            case .file:
                break
            }
            let target = folder.appendingPathComponent(relative).standardizedFileURL
            guard target.path.hasPrefix(root + "/") else { throw Failure(description: "tệp zip chứa đường dẫn ra ngoài thư mục: \(entry.path.prefix(200))") }
            if Int(entry.uncompressedSize) > maxBytes - total {
                throw Failure(description: "nội dung giải nén vượt quá giới hạn \(maxBytes) byte")
            }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: target.path, contents: nil), let out = FileHandle(forWritingAtPath: target.path) else {
                throw Failure(description: "không ghi được \(relative)")
            }
            defer { try? out.close() }
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                total += chunk.count
                if total > maxBytes { throw Failure(description: "nội dung giải nén vượt quá giới hạn \(maxBytes) byte") }
                try out.write(contentsOf: chunk)
            }
            files += 1
        }
        return (files, total)
    }

    /// The entry's path as a relative path inside the folder, or nil when it is absolute, climbs
    /// out with `..`, or holds a NUL or a backslash.
    static func safeRelativePath(_ path: String) -> String? {
        if path.isEmpty || path.hasPrefix("/") || path.contains("\\") || path.contains("\u{0}") { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.isEmpty || parts.contains(where: { $0 == ".." }) { return nil }
        let kept = parts.filter { $0 != "." }
        return kept.isEmpty ? nil : kept.joined(separator: "/")
    }
}
