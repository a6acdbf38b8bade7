import ArgumentParser
import Foundation
import TonchiCore
import TonchiHistory
import TonchiReport
import TonchiScan

/// `tonchi compare OLD NEW`: what changed between two scans, by finding fingerprint.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two scans: new, persisting and fixed findings, per site and per provision.",
        discussion: """
            OLD and NEW are scan results written by 'tonchi scan --format json', or, with --store, \
            stored scan ids (see 'tonchi history scans'); with --store and --site and no OLD/NEW, \
            the last two scans of that site. With --store, findings read from files show their review.
            Exit codes: 0 no new finding at or above --fail-on (false positives left out); 1 new findings; \
            2 a file or store that cannot be read, or a usage error.
            """)

    @Argument(help: "The older scan: a JSON scan result, or a stored scan id with --store.")
    var old: String?

    @Argument(help: "The newer scan: a JSON scan result, or a stored scan id with --store.")
    var new: String?

    @OptionGroup var store: StoreOptions

    @Option(help: "Only this site (host); with --store and no OLD/NEW: its last two scans.")
    var site: String?

    @Option(help: "Output format: text or json.")
    var format: DataFormat = .text

    @Option(name: .customLong("fail-on"), help: "Lowest severity of a new finding that makes the exit code 1.")
    var failOn: Severity = .low

    func run() throws {
        let history = try store.resolved.map { try openStore(path: $0, create: false) }
        let comparison: ScanComparison
        do {
            switch (old, new) {
            case (nil, nil):
                guard let history, let site else {
                    printError("tonchi: give OLD and NEW, or --store PATH --site HOST for its last two scans")
                    throw ExitStatus.usage.exitCode
                }
                let (a, b) = try history.lastTwoScans(site: site)
                comparison = try history.compare(old: a, new: b, site: site)
            case (let a?, let b?):
                let (oldSide, oldFindings) = try side(a, history)
                let (newSide, newFindings) = try side(b, history)
                comparison = ScanComparison.between(old: oldFindings, new: newFindings, oldSide: oldSide, newSide: newSide)
            default:
                printError("tonchi: give both OLD and NEW")
                throw ExitStatus.usage.exitCode
            }
        } catch let error as ScanFileError {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        } catch let error as HistoryError {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
        switch format {
        case .text: print(HistoryText.render(comparison), terminator: "")
        case .json: print(JSONFormat.render(comparison), terminator: "")
        }
        if !comparison.newFindings(atLeast: failOn).isEmpty { throw ExitStatus.findings.exitCode }
    }

    /// A stored scan id (digits, with a store) or a scan result file.
    private func side(_ argument: String, _ history: HistoryStore?) throws -> (ScanSide, [TrackedFinding]) {
        if let history, !argument.isEmpty, argument.allSatisfy(\.isNumber), !FileManager.default.fileExists(atPath: argument),
           let id = ScanID(argument) {
            return try history.side(scan: id, site: site)
        }
        let report = try ScanFile.load(path: argument)
        var findings = Fingerprint.all(in: report)
        var side = ScanSide.file(argument, report: report, findings: findings.count)
        if let site {
            let key = Fingerprint.siteKey(site)
            findings = findings.filter { $0.site == key }
            side = ScanSide(label: argument, sites: side.sites.filter { $0 == key }, findings: findings.count,
                            toolVersion: side.toolVersion, rulesHash: side.rulesHash)
        }
        if let history { findings = try history.annotate(findings) }
        return (side, findings)
    }
}
