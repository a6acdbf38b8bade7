import ArgumentParser
import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiHistory
import TonchiIngest
import TonchiReport
import TonchiScan

/// `tonchi scan`: an inspector's scan of whole site dumps against a charter.
struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan site dumps (WARC, WACZ, a wget mirror folder, a CMS export in JSON Lines) against a charter.")

    @Argument(help: "Dumps: .warc, .warc.gz, .wacz, a mirror folder, .jsonl, or single pages; '-' reads one from standard input.")
    var dumps: [String]

    @OptionGroup var publication: PublicationOptions

    @Option(help: "Date (YYYY-MM-DD) that chooses the provisions cited for every page; default: each page's own date, else its capture date, else today.")
    var date: Day?

    @Option(help: "Pages checked at once (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("max-page-bytes"), help: "Pages larger than this (after decompression) are skipped with a note.")
    var maxPageBytes: Int = DumpLimits.standard.maxItemBytes

    @Option(name: .customLong("store"), help: "Also record the scan in this history store (SQLite file, created if missing; see docs/history.md).")
    var store: String?

    @OptionGroup var allowlist: AllowlistOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let (loadedCharter, kind) = try publication.resolve()
        let ruleSet = try ruleOptions.load()
        let offCharter = try loadedCharter.flatMap { try offCharterCheck(for: $0, path: publication.charter!, ruleSet: ruleSet) }
        let (paths, spool) = try spoolStandardInput(dumps)
        defer { spool.map { try? FileManager.default.removeItem(at: $0) } }
        var limits = DumpLimits.standard
        limits.maxItemBytes = maxPageBytes
        let scanner = Scanner(ruleSet: ruleSet, options: .init(kind: kind, date: date, scanDate: Day.today, jobs: jobs, limits: limits))
        scanner.allowlist = try allowlist.load(ruleSet: ruleSet, today: Day.today)
        let progress = Progress()
        if progress.enabled { scanner.onProgress = progress.update }
        let tool = ToolInfo(version: Tonchi.version, rulesHash: ruleSet.sourceHash, ruleCount: ruleSet.rules.count)
        let inputs = { zip(dumps, paths).map { FileHashing.describe($1, shownAs: $0) } }
        if output.format == .ndjson {
            // Streamed: each page's findings are written as soon as it is checked, and not kept.
            let sink = try OutputSink(path: output.outputFile)
            let stream = NDJSONStream(write: sink.write)
            stream.start(run: "scan", tool: tool, kind: kind, inputs: dumps, publication: loadedCharter?.name)
            // Pages are kept only when the history store needs them.
            scanner.retainsPages = store != nil
            scanner.onPage = stream.page
            let report = scanner.scan(paths, tool: tool, charter: loadedCharter, offCharter: offCharter)
            progress.finish()
            stream.finish(scan: report)
            sink.close()
            if let store { try record(report, in: store) }
            try output.finish(model: { EvidenceReport.make(report, context: output.context(inputs: inputs(), catalog: ruleSet.catalog)) })
            try output.exit(complete: report.isComplete, severities: stream.severities)
            return
        }
        let report = scanner.scan(paths, tool: tool, charter: loadedCharter, offCharter: offCharter)
        progress.finish()
        try output.emit(
            text: { TextFormat(color: output.outputFile == nil && Terminal.wantsColor).render(report) },
            json: { JSONFormat.write(report, to: $0) },
            ndjson: { "" },
            evidence: { EvidenceReport.make(report, context: output.context(inputs: inputs(), catalog: ruleSet.catalog)) })
        if let store { try record(report, in: store) }
        try output.exit(complete: report.isComplete, findings: report.findings)
    }
}

/// Records a scan in the history store and says its id on standard error; a store error exits 2.
private func record(_ report: ScanReport, in path: String) throws {
    do {
        let id = try HistoryStore(path: path).record(scan: report)
        printError("tonchi: recorded scan \(id) in \(path)")
    } catch {
        printError("tonchi: \(error)")
        throw ExitStatus.usage.exitCode
    }
}

/// A dump on standard input ("-") is spooled to a temporary file first: reading a dump needs to
/// seek back to resynchronise after a damaged record. Returns the paths to read and the folder to delete.
private func spoolStandardInput(_ dumps: [String]) throws -> ([String], URL?) {
    guard dumps.contains("-") else { return (dumps, nil) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-stdin-\(UUID().uuidString)")
    let file = folder.appendingPathComponent("stdin")
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let output = try FileHandle(forWritingTo: file)
        defer { try? output.close() }
        while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
        }
    } catch {
        printError("tonchi: cannot spool standard input to \(folder.path): \(error)")
        throw ExitStatus.usage.exitCode
    }
    return (dumps.map { $0 == "-" ? file.path : $0 }, folder)
}

/// One line on standard error, rewritten in place, only when standard error is a terminal.
final class Progress {
    let enabled = isatty(STDERR_FILENO) != 0
    private var last = DispatchTime.now().uptimeNanoseconds

    func update(_ coverage: Coverage) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - last > 200_000_000 else { return }
        last = now
        let megabytes = Double(coverage.bytesScanned) / 1_048_576
        FileHandle.standardError.write(Data("\r\u{1B}[K\(coverage.recordsRead) records, \(coverage.pagesScanned) pages, \(String(format: "%.1f", megabytes)) MB".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
