import ArgumentParser
import Foundation
import TonchiHistory
import TonchiReport

/// `tonchi history`: what the scan history store holds, and review decisions on its findings.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The scan history store: stored scans, their findings, review decisions (docs/history.md).",
        subcommands: [HistoryScans.self, HistoryFindings.self, HistoryRecord.self, ReviewCommand.self])
}

struct HistoryScans: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scans", abstract: "List stored scans, oldest first.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Only scans of this site (host).")
    var site: String?

    @Option(help: "Output format: text or json.")
    var format: DataFormat = .text

    func run() throws {
        let history = try store.open(create: false)
        let scans: [StoredScan]
        do { scans = try history.scans(site: site) } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
        switch format {
        case .text: print(HistoryText.render(scans: scans, store: history.path), terminator: "")
        case .json: print(JSONFormat.render(scans), terminator: "")
        }
    }
}

struct HistoryFindings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings", abstract: "List a stored scan's findings with their fingerprints, reviews and first/last-seen dates.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "A stored scan id (default: the latest scan).")
    var scan: Int64?

    @Option(help: "Only findings of this site (host).")
    var site: String?

    @Option(help: "Output format: text or json.")
    var format: DataFormat = .text

    func run() throws {
        let history = try store.open(create: false)
        let findings: [TrackedFinding]
        do {
            guard let id = try scan ?? history.scans(site: site).last?.id else {
                printError("tonchi: no scan stored in \(history.path)")
                throw ExitStatus.usage.exitCode
            }
            guard try history.scan(id) != nil else {
                printError("tonchi: \(history.path): no scan \(id)")
                throw ExitStatus.usage.exitCode
            }
            findings = try history.findings(scan: id, site: site)
        } catch let error as HistoryError {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
        switch format {
        case .text: print(HistoryText.render(findings: findings), terminator: "")
        case .json: print(JSONFormat.render(findings), terminator: "")
        }
    }
}

/// `tonchi history record`: stores scan results written earlier by `tonchi scan --format json`.
struct HistoryRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record scan results (tonchi scan --format json) in the store, e.g. last year's, with the date they were scanned.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "Scan result files (tonchi.scan/1 JSON).")
    var files: [String]

    @Option(name: .customLong("scanned-at"), help: "When the scans were made: YYYY-MM-DD or an ISO 8601 date-time (default: now).")
    var scannedAt: String?

    func run() throws {
        var when = Date()
        if let scannedAt {
            let iso = ISO8601DateFormatter()
            guard let date = iso.date(from: scannedAt) ?? iso.date(from: scannedAt + "T00:00:00Z") else {
                printError("tonchi: --scanned-at '\(scannedAt)' is not YYYY-MM-DD or an ISO 8601 date-time")
                throw ExitStatus.usage.exitCode
            }
            when = date
        }
        let history = try store.open(create: true)
        do {
            let reports = try files.map { ($0, try ScanFile.load(path: $0)) }   // all readable before any is recorded
            for (file, report) in reports {
                let id = try history.record(scan: report, scannedAt: when, note: "recorded from \(file)")
                print("recorded scan \(id) from \(file)")
            }
        } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
    }
}

/// `tonchi review FINGERPRINT --status …`: an inspector's decision on a finding, kept for every later
/// scan in which the same fingerprint appears.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Mark a stored finding confirmed, false positive (with a reason) or pending, by fingerprint.",
        discussion: "The decision holds for the fingerprint in every scan, earlier and later. Exit codes: 0 done; 2 unknown or ambiguous fingerprint, missing reason, store error.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "A fingerprint, or a unique prefix of at least 6 hex digits (shown by compare and 'history findings').")
    var fingerprint: String

    @Option(help: "confirmed, false-positive or pending.")
    var status: ReviewStatus

    @Option(help: "Why (required for false-positive).")
    var reason: String?

    @Option(help: "Who decided (default: $USER).")
    var by: String?

    func run() throws {
        let history = try store.open(create: false)
        do {
            let who = by ?? ProcessInfo.processInfo.environment["USER"]
            let full = try history.setReview(fingerprint: fingerprint, status: status, reason: reason, by: who)
            print("\(full.value): \(status.rawValue)\(reason.map { " — \($0)" } ?? "")")
        } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
    }
}

extension ReviewStatus: ExpressibleByArgument {}
