#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `wget --mirror` folder: host/path/file as wget lays it out. Every file is one event, in
/// sorted path order so runs compare; one file is read at a time.
enum MirrorFolder {
    static func read(folder: String, limits: DumpLimits, _ body: (DumpEvent) throws -> Void) throws {
        let root = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        guard let top = listing(root) else {
            throw IngestError(name: folder, reason: "cannot list the folder: \(Ingest.errorText(errno))")
        }
        // Normally the folder holds host folders (example.com/…). Given a host folder itself
        // (it holds pages directly and is named like a host), its name is the host.
        let rootName = root.split(separator: "/").last.map(String.init) ?? root
        let hostPrefix = looksLikeHost(rootName) && top.contains(where: { !$0.isDirectory && !ignored($0.name) })
            ? rootName + "/" : ""
        var stack: [(relative: String, entries: [Entry], index: Int)] = [("", top, 0)]
        while !stack.isEmpty {
            let level = stack.count - 1
            guard stack[level].index < stack[level].entries.count else {
                stack.removeLast()
                continue
            }
            let entry = stack[level].entries[stack[level].index]
            stack[level].index += 1
            let relative = stack[level].relative + entry.name
            let full = root + "/" + relative
            if ignored(entry.name) { continue }
            if entry.isDirectory {
                if let children = listing(full) {
                    stack.append((relative + "/", children, 0))
                } else {
                    try body(.skipped(SkippedItem(location: ItemLocation(file: full), reason: .unreadable,
                                                  detail: "cannot list the folder: \(Ingest.errorText(errno))")))
                }
                continue
            }
            let location = ItemLocation(file: full)
            if entry.name == "robots.txt" {
                try body(.skipped(SkippedItem(location: location, reason: .notAPage, detail: "robots.txt")))
                continue
            }
            let file: DumpFile
            do {
                file = try DumpFile(path: full)
            } catch let error as IngestError {
                try body(.skipped(SkippedItem(location: location, reason: .unreadable, detail: error.reason)))
                continue
            }
            // wget saves a directory URL ("…/tin-nong/") as "tin-nong/index.html": map it back,
            // so a page has the same URL whether it was read from the folder or from a WARC.
            var path = hostPrefix + relative
            if entry.name == "index.html" { path.removeLast("index.html".count) }
            let url = "http://" + path.replacingSpaces()
            try body(Dump.singleFileEvent(file: file, location: location, urlString: url, limits: limits, htmlOnly: true))
        }
    }

    struct Entry {
        let name: String
        let isDirectory: Bool
    }

    /// wget's leftovers and hidden files are no part of the site: `*.orig` (backups from
    /// --convert-links), `*.tmp` (unfinished downloads), dot files (.listing, .DS_Store).
    static func ignored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".orig") || name.hasSuffix(".tmp")
    }

    private static func looksLikeHost(_ name: String) -> Bool {
        let labels = name.split(separator: ".")
        return labels.count >= 2 && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "+" }
    }

    /// Sorted entries of a folder: regular files and folders (symlinks followed to files only,
    /// so a link loop can't make the walk endless). Nil when the folder can't be opened.
    private static func listing(_ path: String) -> [Entry]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let item = readdir(dir) {
            let name = withUnsafePointer(to: item.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard lstat(path + "/" + name, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: entries.append(Entry(name: name, isDirectory: true))
            case S_IFREG: entries.append(Entry(name: name, isDirectory: false))
            case S_IFLNK:
                var target = stat()
                if stat(path + "/" + name, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG {
                    entries.append(Entry(name: name, isDirectory: false))
                }
            default: continue
            }
        }
        return entries.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }
}
