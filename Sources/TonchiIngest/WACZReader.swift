import Foundation
import ZIPFoundation

/// WACZ (Web Archive Collection Zipped): a zip holding `archive/*.warc(.gz)`, `pages/pages.jsonl`,
/// indexes and `datapackage.json`. Each WARC is extracted to a temporary file (ZIPFoundation hands
/// entries out in chunks, so memory stays bounded) and read like any WARC; pages.jsonl gives titles.
enum WACZReader {
    static func read(file: DumpFile, limits: DumpLimits, _ body: (DumpEvent) throws -> Void) throws {
        let path = file.path
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            let head = (try? file.read(at: 0, count: 4)) ?? []
            let what = head.starts(with: [0x50, 0x4B]) ? "a damaged zip archive (\(error))" : "not a zip archive (it starts with \(Dump.hexPreview(head, count: 4)))"
            throw IngestError(name: path, reason: "cannot open the WACZ: \(what)")
        }
        var entries: [Entry] = []
        for entry in archive { entries.append(entry) }
        let names = entries.map(\.path)
        let warcs = entries.filter { entry in
            let name = entry.path.lowercased()
            return entry.type == .file && name.hasPrefix("archive/") && (name.hasSuffix(".warc") || name.hasSuffix(".warc.gz"))
        }
        let wacz = ItemLocation(file: path)

        guard !warcs.isEmpty else {
            // Say exactly what is missing and what is there instead: the zip is fine, the WACZ is not.
            var detail = "not a valid WACZ: no archive/*.warc or archive/*.warc.gz entry"
            if !names.contains("pages/pages.jsonl") { detail += ", no pages/pages.jsonl" }
            detail += "; entries: " + (names.isEmpty ? "none" : names.prefix(12).joined(separator: ", "))
            if names.count > 12 { detail += ", … (\(names.count) in all)" }
            if let missing = missingResources(archive: archive, entries: entries), !missing.isEmpty {
                detail += "; datapackage.json lists \(missing.joined(separator: ", ")), which the zip does not hold"
            }
            try body(.skipped(SkippedItem(location: wacz, reason: .unreadable, detail: detail)))
            return
        }

        let titles = pageTitles(archive: archive, entries: entries)
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tonchi-wacz-\(getpid())-\(UInt32.random(in: 0 ... .max))", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        for (n, entry) in warcs.enumerated() {
            let entryLocation = ItemLocation(file: path, recordID: entry.path)
            let temp = folder.appendingPathComponent("\(n).warc")
            do {
                let crc = try archive.extract(entry, to: temp, skipCRC32: false)
                if crc != entry.checksum {
                    // Some bytes are damaged, but where is unknown: its records are still read (they
                    // have their own framing checks), and the damage is reported once here.
                    try body(.skipped(SkippedItem(location: entryLocation, reason: .unreadable,
                                                  detail: "\(entry.path) fails its CRC-32 check (the zip says \(hex32(entry.checksum)), the data gives \(hex32(crc))): some bytes in it are damaged; its records are read anyway")))
                }
            } catch {
                try? FileManager.default.removeItem(at: temp)
                try body(.skipped(SkippedItem(location: entryLocation, reason: .unreadable,
                                              detail: "cannot extract \(entry.path) from the zip: \(error)")))
                continue
            }
            defer { try? FileManager.default.removeItem(at: temp) }
            let warcFile = try DumpFile(path: temp.path)
            let display = path + "/" + entry.path
            if warcFile.size == 0 {
                try body(.skipped(SkippedItem(location: entryLocation, reason: .notAPage, detail: "\(entry.path) is empty")))
                continue
            }
            let head = try warcFile.read(at: 0, count: 64 << 10)
            let gzip = head.starts(with: [0x1F, 0x8B])
            let opening = gzip ? Gzip.peek(head: head, count: 8) : head
            guard opening.starts(with: Array("WARC/".utf8)) else {
                try body(.skipped(SkippedItem(location: entryLocation, reason: .unreadable,
                                              detail: "\(entry.path) is not a WARC: it starts with \(Dump.textPreview(opening))")))
                continue
            }
            try WARCReader.read(file: warcFile, gzip: gzip, displayName: display, limits: limits, titles: titles, body)
        }
    }

    private static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// URL → title from pages/pages.jsonl (its first line is a format header without a url).
    private static func pageTitles(archive: Archive, entries: [Entry]) -> [String: String] {
        guard let bytes = smallEntry(archive, entries, "pages/pages.jsonl", cap: 32 << 20) else { return [:] }
        var titles: [String: String] = [:]
        for line in bytes.split(separator: 0x0A) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let url = object["url"] as? String, let title = object["title"] as? String, !title.isEmpty else { continue }
            titles[url] = title
        }
        return titles
    }

    /// Paths datapackage.json names that the zip lacks; nil when there is no readable datapackage.
    private static func missingResources(archive: Archive, entries: [Entry]) -> [String]? {
        guard let bytes = smallEntry(archive, entries, "datapackage.json", cap: 8 << 20),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let resources = object["resources"] as? [[String: Any]] else { return nil }
        let present = Set(entries.map(\.path))
        return resources.compactMap { $0["path"] as? String }.filter { !present.contains($0) }
    }

    private static func smallEntry(_ archive: Archive, _ entries: [Entry], _ name: String, cap: Int) -> [UInt8]? {
        guard let entry = entries.first(where: { $0.path == name }), entry.uncompressedSize <= UInt64(cap) else { return nil }
        var bytes: [UInt8] = []
        do {
            let crc = try archive.extract(entry, skipCRC32: false) { chunk in
                if bytes.count + chunk.count > cap { throw CocoaError(.fileReadTooLarge) }
                bytes.append(contentsOf: chunk)
            }
            if crc != entry.checksum { return nil }
        } catch {
            return nil
        }
        return bytes
    }
}
